// Enhancements for pages that already work without JavaScript.

document.documentElement.classList.replace("no-js", "js");

// On narrow screens the main navigation folds behind a "Menu" button.
function setUpNavigation() {
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("site-nav");
  if (!toggle || !nav) return;
  const narrow = window.matchMedia("(max-width: 59.99em)");
  const collapse = (collapsed) => {
    nav.dataset.collapsed = String(collapsed);
    toggle.setAttribute("aria-expanded", String(!collapsed));
  };
  toggle.hidden = false;
  collapse(narrow.matches);
  toggle.addEventListener("click", () => collapse(nav.dataset.collapsed !== "true"));
  narrow.addEventListener("change", (event) => collapse(event.matches));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && narrow.matches && nav.dataset.collapsed === "false") {
      collapse(true);
      toggle.focus();
    }
  });
}

// A form that comes back with errors moves focus to its summary, so screen-reader and keyboard
// users hear what went wrong first.
function focusErrorSummary() {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
}

setUpNavigation();
focusErrorSummary();
