// The browser's own speech synthesis, for English terms. No English voice, no speech: callers
// hide what would need it.

const supported = "speechSynthesis" in window;

export function englishVoice() {
  if (!supported) return null;
  const voices = window.speechSynthesis.getVoices();
  return voices.find((voice) => voice.lang.toLowerCase() === "en-gb")
    || voices.find((voice) => voice.lang.toLowerCase().startsWith("en"))
    || null;
}

// Voices load late in some browsers: wait for them a moment before deciding there are none.
export function findEnglishVoice(wait = 1500) {
  if (!supported) return Promise.resolve(null);
  const voice = englishVoice();
  if (voice) return Promise.resolve(voice);
  return new Promise((resolve) => {
    const done = () => resolve(englishVoice());
    window.speechSynthesis.addEventListener("voiceschanged", done, { once: true });
    window.setTimeout(done, wait);
  });
}

export function speak(text) {
  const voice = englishVoice();
  if (!voice) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  utterance.rate = 0.9;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(utterance);
}

// Show the "Listen" buttons inside `root` and make them speak; they stay hidden without a voice.
export function enableSpeakButtons(root, voice) {
  root.querySelectorAll("[data-speak]").forEach((button) => {
    button.hidden = !voice;
    if (voice && !button.dataset.ready) {
      button.dataset.ready = "true";
      button.addEventListener("click", () => speak(button.dataset.speak));
    }
  });
}
