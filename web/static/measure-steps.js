// A wellbeing measure one question at a time on a narrow screen, as a phone survey asks it.
// Without this script (or on a wide screen) every question shows at once; with it, each form
// marked data-one-at-a-time shows one question's fieldset with Back and Next (its legend says
// which question of how many it is), and offers the submit button on the last one. Next needs an answer, so the
// browser never has to point at a required question that is hidden.
"use strict";

(function () {
  const NARROW = window.matchMedia("(max-width: 40rem)");

  function button(text, className) {
    const made = document.createElement("button");
    made.type = "button";
    made.className = className;
    made.textContent = text;
    return made;
  }

  function stepThrough(form) {
    const questions = Array.from(form.querySelectorAll("fieldset[data-question]"));
    const submit = form.querySelector("button[type=submit]");
    const nav = document.createElement("div");
    nav.className = "question-nav";
    const back = button("Back", "secondary");
    const next = button("Next question", "");
    nav.append(back, next);
    submit.before(nav);
    let current = 0;

    function show(index, moveFocus) {
      current = index;
      const stepping = NARROW.matches;
      questions.forEach((q, i) => { q.hidden = stepping && i !== index; });
      nav.hidden = !stepping;
      back.disabled = index === 0;
      next.hidden = index === questions.length - 1;
      submit.hidden = stepping && index !== questions.length - 1;
      if (moveFocus) {
        const chosen = questions[index].querySelector("input:checked");
        (chosen || questions[index].querySelector("input")).focus();
      }
    }

    next.addEventListener("click", () => {
      const first = questions[current].querySelector("input");
      if (!questions[current].querySelector("input:checked")) {
        first.reportValidity();
        return;
      }
      show(current + 1, true);
    });
    back.addEventListener("click", () => show(current - 1, true));
    NARROW.addEventListener("change", () => show(current, false));
    show(0, false);
  }

  document.querySelectorAll("form[data-one-at-a-time]").forEach(stepThrough);
})();
