// Small progressive enhancements; every page works without this file.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.classList.contains("danger")) {
    const label = button.textContent.trim();
    if (!window.confirm(`${label}: are you sure?`)) {
      event.preventDefault();
      return;
    }
  }
  // Guard against double submits; the server is idempotent anyway.
  if (button && !button.dataset.submitted) {
    button.dataset.submitted = "1";
    setTimeout(() => { button.disabled = true; }, 0);
  }
});
