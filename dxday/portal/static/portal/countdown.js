// The home page's countdown to the Day, in the reader's own calendar day.
(function () {
  "use strict";
  var box = document.querySelector("[data-testid=countdown]");
  var el = box && box.querySelector(".dx-days");
  if (!el) return;
  var target = box.dataset.target.split("-");
  var t = new Date(+target[0], +target[1] - 1, +target[2]);
  var now = new Date(); now.setHours(0, 0, 0, 0);
  var days = Math.round((t - now) / 86400000);
  if (days > 0) el.textContent = days;
})();
