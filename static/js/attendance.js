// Attendance on the session page: where JavaScript runs, each choice is saved at once,
// without reloading the page. Without JavaScript the form's buttons do the same.
(function () {
  "use strict";
  var form = document.querySelector("form.attendance-form");
  if (!form || !window.fetch) {
    return;
  }
  var status = document.getElementById("attendance-status");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  form.addEventListener("change", function (event) {
    if (!event.target.matches("input[type=radio]")) {
      return;
    }
    var data = new FormData(form);
    data.append("save", "1");
    say(form.dataset.saving);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (result) {
        say(result.message);
      })
      .catch(function () {
        say(form.dataset.failed);
      });
  });
})();
