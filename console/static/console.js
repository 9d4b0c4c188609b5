// Progressive enhancement only: every form works without this file.
// The organization switcher submits as soon as another organization is chosen.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
});
