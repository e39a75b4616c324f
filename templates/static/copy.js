/* Copy-to-clipboard for the BibTeX entry; the page works without it (text is selectable). */
(function () {
  "use strict";
  function announce(button, message) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) { status.textContent = message; }
  }
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { announce(button, "Copied."); },
        function () { announce(button, fallbackCopy(text) ? "Copied." : "Copy failed; select the text."); }
      );
    } else {
      announce(button, fallbackCopy(text) ? "Copied." : "Copy failed; select the text.");
    }
  });
})();
