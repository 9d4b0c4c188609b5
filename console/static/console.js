// Progressive enhancement only: every form works without this file.
// The organization switcher submits as soon as another organization is chosen.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
});

// "Copy" buttons (hidden without this file): copy the text of the element they name.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    if (!source) continue;
    const label = button.firstChild.textContent;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        button.firstChild.textContent = "Copied";
      } catch {
        button.firstChild.textContent = "Select and copy";
      }
      setTimeout(() => { button.firstChild.textContent = label; }, 2000);
    });
  }
});
