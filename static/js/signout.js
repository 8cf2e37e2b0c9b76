// What the portal keeps in this browser (the journal's copy of unsaved text, under keys
// that begin with "ledarskap:<person>:") is private: it goes when the person signs out,
// by any sign-out button, and a page signed in as someone else removes it at once.
(function () {
  "use strict";
  var script = document.currentScript;
  var signOutPath = script ? script.dataset.signoutUrl : "";
  var person = script ? script.dataset.person : "";
  var PREFIX = "ledarskap:";

  function removeWhere(test) {
    try {
      var keys = [];
      for (var i = 0; i < localStorage.length; i++) {
        keys.push(localStorage.key(i));
      }
      keys.forEach(function (k) {
        if (k && k.indexOf(PREFIX) === 0 && test(k)) {
          localStorage.removeItem(k);
        }
      });
    } catch (e) {
      // Storage blocked: then nothing was kept either.
    }
  }

  // Bubbling, so that the journal editor (listening first) can save unsaved text before.
  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (event.defaultPrevented || !signOutPath || !target.action) {
      return;
    }
    if (new URL(target.action, window.location.href).pathname === signOutPath) {
      removeWhere(function () {
        return true;
      });
    }
  });

  if (person) {
    removeWhere(function (k) {
      return k.indexOf(PREFIX + person + ":") !== 0;
    });
  }
})();
