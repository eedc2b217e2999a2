// Lesson enhancements for pages that already work without JavaScript:
// - a glossary term mark opens its popover on keyboard focus as well as on click or tap;
// - a knowledge check answers in place instead of reloading the page.

document.querySelectorAll(".term-mark").forEach((button) => {
  const popover = document.getElementById(button.getAttribute("popovertarget"));
  if (!popover || !popover.showPopover) return;
  button.addEventListener("focus", () => {
    if (!popover.matches(":popover-open")) popover.showPopover();
  });
  // Tab from the mark moves into the open popover (its glossary link): it closes only when the
  // focus leaves both, or the keyboard would lose the focus with the closing popover.
  const close = (event) => {
    const next = event.relatedTarget;
    if (next && (next === button || popover.contains(next))) return;
    if (popover.matches(":popover-open")) popover.hidePopover();
  };
  button.addEventListener("blur", close);
  popover.addEventListener("focusout", close);
});

document.querySelectorAll("[data-knowledge-check]").forEach((form) => {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const feedback = form.querySelector("[data-feedback]");
    try {
      const response = await fetch(form.action, { method: "POST", body: new FormData(form) });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector(`#${form.closest(".lesson-block").id} [data-feedback]`);
      if (fresh) feedback.innerHTML = fresh.innerHTML;
    } catch {
      form.submit();
    }
  });
});
