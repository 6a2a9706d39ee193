// Polls the adoption batch's progress row until it is finished (no inline script: CSP).
(function () {
  "use strict";
  var box = document.getElementById("adoption-batch");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    box.querySelector("[data-done]").textContent = data.done;
    box.querySelector("[data-state-label]").textContent = data.state;
    var list = box.querySelector("[data-problems]");
    list.replaceChildren();
    data.problems.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;  // text, never HTML
      list.appendChild(li);
    });
    if (data.state !== "finished") { window.setTimeout(poll, 1000); }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(show)
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (box.dataset.state !== "finished") { poll(); }
})();
