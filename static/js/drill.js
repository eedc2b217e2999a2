// Drills without page loads, on top of forms that work on their own:
// - answers are posted in the background and judged on the server; the result is announced in
//   a live region and the next exercise replaces the last one;
// - keyboard: Space shows a flashcard's answer, 1–4 grade it or pick a choice, Enter submits;
// - an answer that cannot be sent waits in this browser (localStorage) and is sent again, with
//   the same key, when the connection returns: it is never lost and never counted twice;
// - listening exercises are asked only when the browser has an English voice.

import { enableSpeakButtons, findEnglishVoice, speak } from "./speech.js";

const QUEUE_KEY = "sheber.drill.queue";
const RETRY_DELAYS = [2000, 5000, 10000, 30000];

const page = document.querySelector(".drill");
const session = document.querySelector("[data-drill-session]");
const feedback = document.querySelector("[data-drill-feedback]");
const connection = document.querySelector("[data-drill-connection]");
let voice = null;
let retries = 0;
let retryTimer = null;
let nextUrl = null;

function pending() {
  try {
    return JSON.parse(window.localStorage.getItem(QUEUE_KEY)) || [];
  } catch {
    return [];
  }
}

function savePending(items) {
  window.localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
}

// Announce even when the text is the same as last time.
function announce(text, result = "") {
  feedback.textContent = "";
  feedback.dataset.result = result;
  window.setTimeout(() => { feedback.textContent = text; }, 50);
}

function showConnection() {
  const count = pending().length;
  connection.hidden = count === 0;
  connection.textContent = count ? page.dataset.textOffline.replace("%(count)s", count) : "";
}

async function send(item) {
  const response = await fetch(item.url, {
    method: "POST",
    body: new URLSearchParams(item.body),
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  // Refused for good (a card that is gone, an answer that makes no sense): no use retrying.
  if (response.status === 400 || response.status === 404) return { response, result: null };
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return { response, result: await response.json() };
}

// Send what waits, oldest first; stop at the first failure and try again later.
async function flush() {
  window.clearTimeout(retryTimer);
  let items = pending();
  if (!items.length) return true;
  while (items.length) {
    try {
      const { result } = await send(items[0]);
      if (result) nextUrl = result.next;
    } catch {
      const delay = RETRY_DELAYS[Math.min(retries, RETRY_DELAYS.length - 1)];
      retries += 1;
      retryTimer = window.setTimeout(resume, delay);
      showConnection();
      return false;
    }
    items = items.slice(1);
    savePending(items);
  }
  retries = 0;
  showConnection();
  announce(page.dataset.textSent);
  return true;
}

async function resume() {
  if (await flush()) await load(nextUrl || window.location.href);
}

function fragmentUrl(url) {
  const target = new URL(url, window.location.href);
  target.searchParams.set("fragment", "1");
  if (voice) target.searchParams.set("voice", "1");
  return target;
}

async function load(url) {
  let response;
  try {
    response = await fetch(fragmentUrl(url), { credentials: "same-origin" });
  } catch {
    nextUrl = url;
    retryTimer = window.setTimeout(resume, RETRY_DELAYS[0]);
    return;
  }
  if (!response.ok) {
    window.location.assign(url);
    return;
  }
  session.innerHTML = await response.text();
  const address = new URL(url, window.location.href);
  address.searchParams.delete("reveal");
  window.history.replaceState(null, "", address);
  offerSpeech();
  focusExercise();
}

function offerSpeech() {
  enableSpeakButtons(session, voice);
  const listen = session.querySelector("[data-autoplay]");
  if (listen && voice) window.setTimeout(() => speak(listen.dataset.speak), 300);
}

// Focus where the learner works next: the answer field, else the exercise's prompt, else the
// session summary.
function focusExercise() {
  const form = session.querySelector("[data-drill-form]");
  const target = form
    ? form.querySelector("input[type=text]") || session.querySelector("#drill-prompt")
    : session.querySelector("[data-drill-summary]") || session.querySelector("h2");
  if (target) {
    if (!target.matches("input")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
}

function reveal(form) {
  const back = form.querySelector("[data-drill-back]");
  if (!back || !back.hidden) return;
  back.hidden = false;
  form.querySelector("[data-drill-reveal]")?.remove();
  back.focus();
}

function disable(form, disabled) {
  form.querySelectorAll("button, input, select").forEach((control) => {
    if (control.type !== "hidden") control.disabled = disabled;
  });
}

session.addEventListener("click", (event) => {
  const link = event.target.closest("[data-drill-reveal]");
  if (!link) return;
  event.preventDefault();
  reveal(link.closest("form"));
});

session.addEventListener("submit", async (event) => {
  const form = event.target.closest("[data-drill-form]");
  if (!form) return;
  event.preventDefault();
  const item = { url: form.action, body: [...new FormData(form, event.submitter).entries()] };
  disable(form, true);
  try {
    const { response, result } = await send(item);
    if (!result) {
      const problem = await response.json().catch(() => null);
      announce(problem?.message || page.dataset.textRefused, "invalid");
      disable(form, false);
      return;
    }
    announce(result.message, result.result);
    await load(result.next);
  } catch {
    // No connection (or a server error): keep the answer and send it when we can.
    savePending([...pending(), item]);
    showConnection();
    retryTimer = window.setTimeout(resume, RETRY_DELAYS[0]);
  }
});

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  const form = session.querySelector("[data-drill-form]");
  if (!form || event.target.matches("input[type=text], textarea")) return;
  const back = form.querySelector("[data-drill-back]");
  if (event.target.matches("select")) {
    if (event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit();
    }
    return;
  }
  if (event.key === " " && back?.hidden) {
    event.preventDefault();
    reveal(form);
  } else if (/^[1-4]$/.test(event.key)) {
    if (back && !back.hidden) {
      event.preventDefault();
      form.querySelector(`button[name=rating][value="${event.key}"]`)?.click();
    } else {
      const option = form.querySelectorAll("input[type=radio]")[Number(event.key) - 1];
      if (option) {
        event.preventDefault();
        option.checked = true;
        option.focus();
      }
    }
  } else if (event.key === "Enter" && !event.target.matches("button, a")) {
    if (form.querySelector("input[type=radio]:checked")) {
      event.preventDefault();
      form.requestSubmit();
    }
  }
});

window.addEventListener("online", resume);

focusExercise();
findEnglishVoice().then((found) => {
  voice = found;
  offerSpeech();
});
if (pending().length) {
  showConnection();
  resume();
}
