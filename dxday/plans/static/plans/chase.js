// The chase page (/plans/don-doc/): count the units ticked, and keep "every matching unit, on
// every page" exclusive with ticking units one by one. A static file: the CSP allows no inline
// script. Without JavaScript the page still works: the server's confirmation step states the
// counts before anything is sent.
(function () {
  "use strict";
  var form = document.querySelector("[data-chase-form]");
  if (!form) return;
  var counter = form.querySelector("[data-chase-count]");
  var everything = form.querySelector('input[name="tat_ca"]');
  function boxes() {
    return form.querySelectorAll('input[type="checkbox"][name="unit"]');
  }
  function update() {
    var n = 0;
    boxes().forEach(function (box) { if (box.checked) n += 1; });
    if (counter) {
      counter.textContent = everything && everything.checked
        ? counter.getAttribute("data-all-label")
        : counter.getAttribute("data-label").replace("%s", String(n));
    }
  }
  form.addEventListener("change", function (event) {
    var el = event.target;
    if (el === everything && everything.checked) {
      boxes().forEach(function (box) { box.checked = false; });
    } else if (el.name === "unit" && el.checked && everything) {
      everything.checked = false;
    }
    update();
  });
  // dxday.js ticks or unticks every box on "Chọn tất cả" / "Bỏ chọn": count after it ran.
  form.addEventListener("click", function (event) {
    if (event.target.closest("[data-dx-check],[data-dx-uncheck]")) {
      if (everything) everything.checked = false;
      window.setTimeout(update, 0);
    }
  });
  update();
})();
