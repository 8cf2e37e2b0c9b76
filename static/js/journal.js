// The journal editor never loses a word: it saves on its own while the manager types.
// The copy it keeps in this browser is a safety net, never a second truth: it is kept under
// a key per person and per entry (a new entry gets a key of its own for each page), dropped
// after every save (autosave or Spara), removed on sign-out (signout.js), and offered back,
// never put back silently, only when it is newer than the saved text and differs from it.
(function () {
  "use strict";
  var form = document.querySelector("form.journal-editor");
  if (!form || !window.fetch) {
    return;
  }
  var body = form.querySelector("textarea[name=body]");
  var title = form.querySelector("input[name=title]");
  var version = form.querySelector("input[name=version]");
  var draftInput = form.querySelector("input[name=draft]");
  var status = document.getElementById("journal-status");
  var panel = document.getElementById("journal-restore");
  var prefix = form.dataset.draftPrefix;
  var key = form.dataset.draftKey;
  // Times are kept on the server's clock, so a wrong clock here cannot make an old copy new.
  var offset = Number(form.dataset.serverNow) - Date.now();
  var savedAt = Number(form.dataset.updatedAt) || 0;
  // A copy of another new entry is offered only once nobody has typed in it for a while:
  // it may still be open in another tab.
  var ORPHAN_MS = 60000;
  var timer = null;
  var saving = false;
  var again = null;
  var edits = 0; // changes made on this page
  var savedEdits = 0; // changes the server has
  var offer = null; // the copy shown in the panel, until the person chooses
  var submitting = false;
  var submitAfterSave = false;
  var warnedAtSignOut = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function now() {
    return Date.now() + offset;
  }

  function read(k) {
    try {
      return JSON.parse(localStorage.getItem(k) || "null");
    } catch (e) {
      return null;
    }
  }

  function drop(k) {
    try {
      localStorage.removeItem(k);
    } catch (e) {}
  }

  function holdsOffer(k) {
    return offer !== null && offer.key === k;
  }

  function remember() {
    if (holdsOffer(key)) {
      return; // the copy offered back stays as it is until the person chooses
    }
    try {
      localStorage.setItem(key, JSON.stringify({ title: title.value, body: body.value, at: now() }));
    } catch (e) {
      // Storage full or blocked: the server save still runs.
    }
  }

  function forget() {
    if (!holdsOffer(key)) {
      drop(key);
    }
  }

  function differs(copy) {
    return copy.title !== title.value || copy.body !== body.value;
  }

  function unsaved() {
    return edits !== savedEdits;
  }

  // The page after a save by the form names the copies that save covered.
  (form.dataset.savedDrafts || "").split(" ").forEach(function (k) {
    if (k && k.indexOf(prefix) === 0) {
      drop(k);
    }
  });

  function copyToOffer() {
    var own = read(key);
    if (own) {
      if (typeof own.at === "number" && own.at > savedAt && differs(own)) {
        return { key: key, copy: own };
      }
      drop(key); // older than the saved text, or the same: the saved text is the truth
    }
    if (form.dataset.updatedAt) {
      return null;
    }
    // A new entry: text from another new entry that never reached the server.
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        keys.push(localStorage.key(i));
      }
    } catch (e) {}
    var best = null;
    keys.forEach(function (k) {
      if (!k || k === key || k.indexOf(prefix + "new:") !== 0) {
        return;
      }
      var copy = read(k);
      if (!copy || typeof copy.at !== "number" || !(copy.title || copy.body)) {
        drop(k);
      } else if (now() - copy.at >= ORPHAN_MS && (!best || copy.at > best.copy.at)) {
        best = { key: k, copy: copy };
      }
    });
    return best;
  }

  function showOffer(found) {
    if (!panel) {
      return;
    }
    offer = found;
    var text = found.copy.body.length > 300 ? found.copy.body.slice(0, 300) + "…" : found.copy.body;
    panel.querySelector("[data-restore-preview]").textContent =
      (found.copy.title ? found.copy.title + ": " : "") + text;
    var when = panel.querySelector("[data-restore-when]");
    when.textContent = new Date(found.copy.at - offset).toLocaleString(
      document.documentElement.lang || "sv",
      { dateStyle: "long", timeStyle: "short" }
    );
    panel.hidden = false;
    panel.focus();
  }

  function closeOffer(message) {
    offer = null;
    panel.hidden = true;
    say(message);
    body.focus();
  }

  if (panel) {
    panel.querySelector("[data-restore-accept]").addEventListener("click", function () {
      var chosen = offer;
      if (!chosen) {
        return;
      }
      title.value = chosen.copy.title;
      body.value = chosen.copy.body;
      if (chosen.key !== key) {
        drop(chosen.key); // it lives on under this entry's key
      }
      closeOffer(form.dataset.restored);
      edits += 1;
      remember();
      schedule();
    });
    panel.querySelector("[data-restore-discard]").addEventListener("click", function () {
      if (!offer) {
        return;
      }
      drop(offer.key);
      closeOffer(form.dataset.discarded);
      if (unsaved()) {
        remember();
      }
    });
  }

  function save(then) {
    if (saving) {
      var before = again;
      again = function () {
        if (typeof before === "function") {
          before();
        }
        if (then) {
          then();
        }
      };
      return;
    }
    if (submitting) {
      return; // the form is on its way to the server: a second save could make a second entry
    }
    window.clearTimeout(timer);
    timer = null;
    saving = true;
    var sentEdits = edits;
    say(form.dataset.saving);
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") !== 0) {
          // The sign-in page (or a refusal: the session is gone), or an error page:
          // nothing was saved.
          var gone = response.redirected || response.status === 403;
          throw new Error(gone ? "signed-out" : "no-answer");
        }
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        var data = result.data;
        if (!result.ok || !data.ok) {
          remember();
          say(data.message);
          return;
        }
        if (version) {
          version.value = data.version;
        }
        if (form.dataset.autosaveUrl !== data.autosave_url) {
          // A new entry now exists (or a copy beside a newer text): keep editing it, under
          // its own address and its own key.
          var oldKey = key;
          key = prefix + data.id;
          form.dataset.draftKey = key;
          if (draftInput) {
            draftInput.value = key;
          }
          form.dataset.autosaveUrl = data.autosave_url;
          form.action = data.edit_url;
          history.replaceState(null, "", data.edit_url);
          if (!holdsOffer(oldKey)) {
            drop(oldKey);
          }
        }
        savedEdits = sentEdits;
        if (!unsaved()) {
          forget();
        }
        say(data.message);
      })
      .catch(function (error) {
        remember();
        say(
          error && error.message === "signed-out"
            ? form.dataset.signedOut
            : form.dataset.offline
        );
      })
      .finally(function () {
        saving = false;
        var next = again;
        again = null;
        if (submitAfterSave) {
          submitAfterSave = false;
          submitting = true;
          form.submit();
        } else if (next) {
          save(next);
        } else if (then) {
          then();
        }
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  }

  form.addEventListener("input", function () {
    edits += 1;
    remember();
    schedule();
  });
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (saving) {
      // Wait for the save under way: it may be creating this entry.
      event.preventDefault();
      submitAfterSave = true;
      return;
    }
    submitting = true;
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      submitting = false; // back from the next page: the editor works again
    }
  });
  window.addEventListener("online", function () {
    if (unsaved()) {
      schedule();
    }
  });

  // Signing out with text not yet saved: save it first, then sign out. If it cannot be
  // saved, stay signed in and say so; a second sign-out leaves anyway (signout.js then
  // removes the copy from this browser).
  var signOutPath = form.dataset.signoutUrl;
  document.addEventListener(
    "submit",
    function (event) {
      var target = event.target;
      if (!signOutPath || !target.action || warnedAtSignOut) {
        return;
      }
      if (new URL(target.action, window.location.href).pathname !== signOutPath || !unsaved()) {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      save(function () {
        if (!unsaved()) {
          target.requestSubmit();
        } else {
          warnedAtSignOut = true;
          say(form.dataset.unsavedSignout);
        }
      });
    },
    true
  );

  var found = copyToOffer();
  if (found) {
    showOffer(found);
  }
})();
