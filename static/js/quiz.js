// Quiz attempts, on top of a form that works on its own:
// - answers are saved in the background as the learner goes (the server keeps them, so a
//   reload or another device resumes the attempt); while the connection is down they stay in
//   the page and are sent when it returns;
// - Up and Down move ordering items in place, keeping focus on the moved item's button;
// - the time left counts down, is announced at five minutes and at one, and at zero the form
//   is submitted with what was answered (the server enforces the limit anyway).

const page = document.querySelector(".quiz");
const form = document.querySelector("[data-quiz-form]");
const status = document.querySelector("[data-save-status]");
const SAVE_DELAY = 800;
let saveTimer = null;
let unsaved = false;

function formData(action) {
  const data = new FormData(form);
  data.set("action", action);
  return data;
}

async function save() {
  window.clearTimeout(saveTimer);
  try {
    // form.action would be the buttons named "action": read the attribute.
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: formData("save"),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const result = await response.json();
    if (result.submitted) {
      window.location.assign(result.next);  // time ran out, or submitted in another tab
      return;
    }
    unsaved = false;
    status.textContent = page.dataset.textSaved;
  } catch {
    unsaved = true;
    status.textContent = page.dataset.textUnsaved;
  }
}

function saveSoon() {
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(save, SAVE_DELAY);
}

function move(button) {
  const item = button.closest("[data-item]");
  const list = item.parentElement;
  const sibling = button.dataset.move === "up" ? item.previousElementSibling : item.nextElementSibling;
  if (!sibling) return;
  if (button.dataset.move === "up") list.insertBefore(item, sibling);
  else list.insertBefore(sibling, item);
  const items = [...list.children];
  items.forEach((element, index) => {
    element.querySelector("[data-move=up]").disabled = index === 0;
    element.querySelector("[data-move=down]").disabled = index === items.length - 1;
  });
  const same = item.querySelector(`[data-move=${button.dataset.move}]`);
  (same.disabled ? item.querySelector("[data-move]:not(:disabled)") : same).focus();
  status.textContent = page.dataset.textMoved
    .replace("%(position)s", items.indexOf(item) + 1)
    .replace("%(count)s", items.length);
  saveSoon();
}

function startClock(timer) {
  const clock = timer.querySelector("[data-clock]");
  const announcer = document.querySelector("[data-timer-announcer]");
  const end = Date.now() + Number(timer.dataset.remaining) * 1000;
  const tick = () => {
    const left = Math.max(Math.round((end - Date.now()) / 1000), 0);
    const minutes = Math.floor(left / 60);
    clock.textContent = `${minutes}:${String(left % 60).padStart(2, "0")}`;
    if (left === 300) announcer.textContent = page.dataset.textFive;
    if (left === 60) announcer.textContent = page.dataset.textOne;
    if (left === 0) {
      window.clearInterval(timerId);
      const submit = document.createElement("input");
      submit.type = "hidden";
      submit.name = "action";
      submit.value = "submit";
      form.append(submit);
      form.submit();
    }
  };
  const timerId = window.setInterval(tick, 1000);
  tick();
}

if (form) {
  form.addEventListener("change", saveSoon);
  form.addEventListener("input", saveSoon);
  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move]");
    if (!button) return;
    event.preventDefault();
    move(button);
  });
  window.addEventListener("online", () => { if (unsaved) save(); });
  const timer = document.querySelector("[data-remaining]");
  if (timer) startClock(timer);
}
