// A count under each text with a limit (data-limit, from the form field's max_length):
// "120 / 500", marked when over. Progressive enhancement: without this script nothing is
// cut either; the server refuses a text over its limit and says the limit in words.
// Characters are counted as the server counts them (code points, not UTF-16 units).
(function () {
  "use strict";

  // Short fields (a name, a code) need no counter; texts and long lines do.
  var SHORTEST = 100;

  function enhance(field, index) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    if (!limit || (field.tagName !== "TEXTAREA" && limit < SHORTEST)) {
      return;
    }
    var counter = document.createElement("small");
    counter.className = "counter";
    counter.id = "counter-" + index;
    counter.setAttribute("aria-live", "polite");
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var used = Array.from(field.value).length;
      counter.textContent = used + " / " + limit;
      counter.classList.toggle("over", used > limit);
    }
    field.insertAdjacentElement("afterend", counter);
    field.addEventListener("input", update);
    update();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-limit]"), enhance);
})();
