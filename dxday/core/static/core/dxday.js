// Small page behaviours, declared with data attributes instead of inline handlers, so that the
// Content-Security-Policy can forbid every inline script (docs/architecture.md, "CSP").
//   data-dx-autosubmit   on a select or checkbox: submit its form when it changes
//   data-dx-check="name" on a button: tick every checkbox named `name`
//   data-dx-uncheck="name" on a button: untick them
//   data-dx-print        on a button: print the page
//   data-dx-back         on a link: go back one page (the link's href is the no-script fallback)
//   data-dx-csrf="url"   on a form of a cached public page: fetch a CSRF token from `url`
//                        (/csrf/, never cached; it sets the cookie) and add it before sending
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-dx-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-dx-check],[data-dx-uncheck],[data-dx-print],[data-dx-back]");
    if (!el) return;
    if (el.hasAttribute("data-dx-back")) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
      return;
    }
    if (el.hasAttribute("data-dx-print")) {
      window.print();
      return;
    }
    var on = el.hasAttribute("data-dx-check");
    var name = el.getAttribute(on ? "data-dx-check" : "data-dx-uncheck");
    document.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
      if (box.name === name) box.checked = on;
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-dx-csrf]") || form.dataset.dxCsrfReady) return;
    event.preventDefault();
    fetch(form.getAttribute("data-dx-csrf"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = "csrfmiddlewaretoken";
          form.appendChild(input);
        }
        input.value = data.token;
        form.dataset.dxCsrfReady = "1";
        if (form.requestSubmit) form.requestSubmit(event.submitter || undefined);
        else form.submit();
      });
  });
})();
