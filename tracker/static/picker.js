// Filter boxes for people pickers: type part of a name or school to narrow the list.
// Without JavaScript the full list is still there; this only hides what does not match.
function filterTarget(input) {
  const target = document.getElementById(input.dataset.filterFor);
  if (!target) return;
  const needle = input.value.trim().toLowerCase();
  if (target.tagName === "SELECT") {
    for (const group of target.querySelectorAll("optgroup")) {
      let shown = 0;
      for (const option of group.querySelectorAll("option")) {
        const match = !needle || option.textContent.toLowerCase().includes(needle)
          || group.label.toLowerCase().includes(needle);
        option.hidden = !match;
        if (match) shown += 1;
      }
      group.hidden = shown === 0;
    }
    return;
  }
  for (const group of target.querySelectorAll("[data-filter-group]")) {
    let shown = 0;
    for (const item of group.querySelectorAll("[data-filter-item]")) {
      const match = !needle || item.dataset.filterItem.toLowerCase().includes(needle);
      item.hidden = !match;
      if (match) shown += 1;
    }
    group.hidden = shown === 0;
  }
}

document.addEventListener("input", (event) => {
  if (event.target.matches("input[data-filter-for]")) filterTarget(event.target);
});
document.addEventListener("keydown", (event) => {
  // Enter in a filter box must not submit the form.
  if (event.key === "Enter" && event.target.matches("input[data-filter-for]")) {
    event.preventDefault();
  }
});
