// "Listen" buttons: the browser's own speech synthesis says an English term. The buttons stay
// hidden where the browser has no English voice.

const buttons = document.querySelectorAll("[data-speak]");

function englishVoice() {
  const voices = window.speechSynthesis.getVoices();
  return voices.find((voice) => voice.lang.toLowerCase() === "en-gb")
    || voices.find((voice) => voice.lang.toLowerCase().startsWith("en"));
}

function speak(text, voice) {
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  utterance.rate = 0.9;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(utterance);
}

function enable() {
  const voice = englishVoice();
  buttons.forEach((button) => {
    button.hidden = !voice;
    if (voice && !button.dataset.ready) {
      button.dataset.ready = "true";
      button.addEventListener("click", () => speak(button.dataset.speak, englishVoice()));
    }
  });
}

if ("speechSynthesis" in window && buttons.length) {
  enable();
  window.speechSynthesis.addEventListener("voiceschanged", enable);
}
