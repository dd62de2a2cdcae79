// A copy/share button for a link shown on the page (the invitation link).
// Progressive enhancement: without this script the button stays hidden and the
// link stays on the page, selectable. With it: the phone's share sheet when the
// browser has one, else the clipboard; if both fail, the link is selected so the
// person can copy it by hand. Words come from the button's data-* attributes, so
// they are in the page's language.
(function () {
  "use strict";

  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function enhance(button) {
    var target = document.getElementById(button.dataset.share);
    var status = document.getElementById(button.dataset.status);
    if (!target) {
      return;
    }
    var canShare = typeof navigator.share === "function";
    var canCopy = Boolean(navigator.clipboard && navigator.clipboard.writeText);
    if (!canShare && !canCopy) {
      return; // nothing to offer: the link is there to select
    }
    if (canShare && button.dataset.labelShare) {
      button.textContent = button.dataset.labelShare;
    }
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    function failed() {
      select(target);
      say(button.dataset.failed || "");
    }
    function copy(link) {
      if (!canCopy) {
        failed();
        return;
      }
      navigator.clipboard.writeText(link).then(function () {
        say(button.dataset.copied || "");
      }, failed);
    }
    button.addEventListener("click", function () {
      var link = target.textContent.trim();
      say("");
      if (canShare) {
        navigator.share({ url: link }).catch(function (error) {
          if (!error || error.name !== "AbortError") {
            copy(link); // the person did not cancel: the share sheet failed
          }
        });
      } else {
        copy(link);
      }
    });
    button.hidden = false;
  }

  document.querySelectorAll("button[data-share]").forEach(enhance);
})();
