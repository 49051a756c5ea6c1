// The section navigation behind a menu button on narrow screens (templates/base.html). The
// page marks itself "has-menu" before it is drawn, so the CSS folds the list away only when
// this script runs; without JavaScript the sections stay a plain list.
const button = document.querySelector(".nav-toggle");
const nav = document.getElementById("site-nav");

function show(open) {
  button.setAttribute("aria-expanded", String(open));
  nav.classList.toggle("open", open);
}

if (button && nav) {
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
}
