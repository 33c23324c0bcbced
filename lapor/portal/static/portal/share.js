/* Share a public report without any third-party script: the address is shown in a read-only
   field (select and copy it by hand without JavaScript); with JavaScript, a "copy" button and,
   where the phone offers it, its own share sheet. Messages come from data attributes. */
(function () {
  "use strict";
  var box = document.querySelector("[data-share]");
  if (!box) return;
  var field = box.querySelector("input");
  var status = box.querySelector("[role=status]");
  var copy = box.querySelector("[data-copy]");
  var native = box.querySelector("[data-native]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { status.textContent = copy.dataset.done; },
        function () { field.select(); status.textContent = copy.dataset.failed; }
      );
    });
  }
  if (native && navigator.share) {
    native.hidden = false;
    native.addEventListener("click", function () {
      navigator.share({ title: box.dataset.title, url: field.value }).catch(function () {});
    });
  }
})();
