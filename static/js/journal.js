// The journal editor never loses a word: it saves on its own while the manager types,
// keeps the text in this browser when the network is gone, and restores it on return.
(function () {
  "use strict";
  var form = document.querySelector("form.journal-editor");
  if (!form || !window.fetch) {
    return;
  }
  var body = form.querySelector("textarea[name=body]");
  var title = form.querySelector("input[name=title]");
  var version = form.querySelector("input[name=version]");
  var status = document.getElementById("journal-status");
  var key = form.dataset.draftKey;
  var timer = null;
  var saving = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function remember() {
    try {
      localStorage.setItem(key, JSON.stringify({ title: title.value, body: body.value }));
    } catch (e) {
      // Storage full or blocked: the server save still runs.
    }
  }

  function forget() {
    try {
      localStorage.removeItem(key);
    } catch (e) {}
  }

  function restore() {
    var stored = null;
    try {
      stored = JSON.parse(localStorage.getItem(key) || "null");
    } catch (e) {}
    if (stored && (stored.body !== body.value || stored.title !== title.value)) {
      body.value = stored.body;
      title.value = stored.title;
      say(form.dataset.restored);
      schedule();
    }
  }

  function save() {
    if (saving) {
      schedule();
      return;
    }
    saving = true;
    say(form.dataset.saving);
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        var data = result.data;
        if (!result.ok || !data.ok) {
          say(data.message);
          return;
        }
        if (version) {
          version.value = data.version;
        }
        if (form.dataset.autosaveUrl !== data.autosave_url) {
          // A new entry now exists: keep editing it, under its own address.
          var oldKey = key;
          key = "journal-draft:" + data.id;
          form.dataset.draftKey = key;
          form.dataset.autosaveUrl = data.autosave_url;
          form.action = data.edit_url;
          history.replaceState(null, "", data.edit_url);
          try {
            localStorage.removeItem(oldKey);
          } catch (e) {}
        }
        forget();
        say(data.message);
      })
      .catch(function () {
        remember();
        say(form.dataset.offline);
      })
      .finally(function () {
        saving = false;
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  }

  form.addEventListener("input", function () {
    remember();
    schedule();
  });
  window.addEventListener("online", function () {
    schedule();
  });
  restore();
})();
