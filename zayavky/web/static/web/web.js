/* Zayavky staff pages: small enhancements only; every page works without this script.
   1. The route form's Classifier search shows results while typing (2.2).
   2. Print buttons.
   3. A folded form (<details>) opens when the address points at it (#act-comment). */
(function () {
  "use strict";

  // 1. Classifier search: /classifier/search/?pick=route&q=… returns the radio buttons of the route form.
  var search = document.querySelector("[data-testid='classifier-search']");
  var box = document.getElementById("route-results");
  if (search && box) {
    var input = search.querySelector("input[name='cq']");
    var url = search.getAttribute("data-search-url");
    var timer = null;
    var last = null;
    var load = function () {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      fetch(url + "?pick=route&q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          // A session that expired redirects to the login page: keep the results, the form still works.
          return response.ok && !response.redirected ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          if (q !== last) return;
          // A type already picked stays picked when new results arrive (typing on after a click).
          var checked = box.querySelector("input[type='radio']:checked");
          var keep = checked ? checked.closest("label") : null;
          box.innerHTML = html;
          if (!keep) return;
          var same = box.querySelector("input[type='radio'][value='" + checked.value + "']");
          if (same) {
            same.checked = true;
          } else {
            var list = box.querySelector("fieldset") || box;
            var legend = list.querySelector("legend");
            list.insertBefore(keep, legend ? legend.nextSibling : list.firstChild);
            var empty = list.querySelector("[data-testid='classifier-empty']");
            if (empty) empty.remove();
            keep.querySelector("input").checked = true;
          }
        })
        .catch(function () { last = null; /* the «Find» button still works */ });
    };
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(load, 250);
    });
    search.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      load();
    });
  }

  // 2. Print buttons are hidden until the script can make them work.
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // 3. #act-<action> (a link, the page a refused form came back to) opens that folded form and shows it.
  var unfold = function () {
    var id = window.location.hash.slice(1);
    if (!/^act-[a-z_]+$/.test(id)) return;
    var section = document.getElementById(id);
    var fold = section ? section.querySelector("details.action__fold") : null;
    if (!fold) return;
    if (!fold.open) fold.open = true;
    section.scrollIntoView({ block: "start" });
  };
  unfold();
  window.addEventListener("hashchange", unfold);
})();
