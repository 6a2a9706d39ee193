// The standard editor: reorder rows of a repeating group without a reload.
// Row order is sent in each row's hidden ORDER input, renumbered from the
// page order whenever a row moves and just before the form is submitted.
(function () {
  "use strict";

  function renumber(list) {
    var position = 1;
    list.querySelectorAll(":scope > [data-row]").forEach(function (row) {
      var order = row.querySelector('input[name$="-ORDER"]');
      if (order) {
        order.value = position;
      }
      position += 1;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button) {
      return;
    }
    var row = button.closest("[data-row]");
    var list = row.parentElement;
    if (button.dataset.move === "up" && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
    } else if (button.dataset.move === "down" && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
    }
    renumber(list);
    button.focus();
  });

  // A folded row of a long group arrives as hidden inputs holding its stored
  // values (posted unchanged if it is never unfolded); its inputs are fetched
  // the first time it unfolds, and replace the hidden ones.
  function loadRow(body) {
    if (!body.dataset.rowUrl) {
      return Promise.resolve();
    }
    if (!body.rowLoading) {
      body.rowLoading = fetch(body.dataset.rowUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) {
          body.innerHTML = html;
          delete body.dataset.rowUrl;
        })
        .catch(function () {
          body.rowLoading = null;
          var loading = body.querySelector(".row-loading");
          if (loading) {
            loading.className = "alert alert-warning mb-0";
            loading.setAttribute("role", "alert");
            loading.textContent = body.dataset.loadError;
          }
        });
    }
    return body.rowLoading;
  }

  document.addEventListener("show.bs.collapse", function (event) {
    loadRow(event.target);
  });

  // A link to one field (e.g. from a review comment) opens the folded row holding it.
  function revealTarget() {
    if (!location.hash) {
      return;
    }
    var id = decodeURIComponent(location.hash.slice(1));
    var target = document.getElementById(id);
    var body = target && target.closest(".collapse");
    if (body && !body.classList.contains("show")) {
      body.classList.add("show");
      var toggle = document.querySelector('[data-bs-target="#' + body.id + '"]');
      if (toggle) {
        toggle.setAttribute("aria-expanded", "true");
      }
      loadRow(body).then(function () {
        (document.getElementById(id) || body).scrollIntoView();
      });
    }
  }
  window.addEventListener("hashchange", revealTarget);
  document.addEventListener("DOMContentLoaded", revealTarget);

  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll("ol.rows").forEach(renumber);
  });
})();
