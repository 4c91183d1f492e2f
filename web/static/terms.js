// Suggestions as you type: fills an input's <datalist> with taxonomy terms from /terms.
// An input with data-multiple takes comma-separated terms, so each suggestion keeps what was
// typed before the last comma and offers to complete the word being typed.
"use strict";

(function () {
  const DELAY_MS = 150;

  function lastWord(value) {
    const cut = value.lastIndexOf(",");
    const before = cut < 0 ? "" : value.slice(0, cut + 1).trimEnd() + " ";
    return { before, word: value.slice(cut + 1).trim() };
  }

  function fill(list, options) {
    list.replaceChildren(...options.map((text) => {
      const option = document.createElement("option");
      option.value = text;
      return option;
    }));
  }

  async function suggest(input, list) {
    const multiple = input.dataset.multiple === "yes";
    const { before, word } = multiple ? lastWord(input.value) : { before: "", word: input.value.trim() };
    if (!word) {
      fill(list, []);
      return;
    }
    const query = new URLSearchParams({ kind: input.dataset.terms, prefix: word });
    const response = await fetch("/terms?" + query.toString(), { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const names = await response.json();
    fill(list, names.map((name) => before + name));
  }

  for (const input of document.querySelectorAll("input[data-terms]")) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) continue;
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => suggest(input, list).catch(() => fill(list, [])), DELAY_MS);
    });
  }
})();
