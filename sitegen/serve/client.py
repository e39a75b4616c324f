"""The reload client: a few lines of JavaScript served from the preview server itself.

It is a Python string rather than a file in the theme's ``static/`` folder because every file
there is copied into ``sitegen build`` output, and the client must never be published.

The client knows which build its page shows (``data-generation``) and asks the server for
anything newer, so a build that finished between page load and connection is not missed.
A ``css`` event swaps stylesheets in place (the page, its scroll position and script state
survive); anything else reloads the page.
"""

from __future__ import annotations

CLIENT_JS = r"""/* sitegen serve: live reload (preview only, never part of a build) */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) { return; }
  var generation = Number(script.getAttribute("data-generation")) || 0;
  var endpoint = script.getAttribute("data-events");
  var HASHED = /\.[0-9a-f]{10}(\.[^.\/]+)$/;

  function logical(href) {
    return new URL(href, location.href).pathname.replace(HASHED, "$1");
  }

  function swapStylesheets(hrefs) {
    var wanted = {};
    hrefs.forEach(function (href) { wanted[logical(href)] = href; });
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var swapped = 0;
    links.forEach(function (link) {
      var next = wanted[logical(link.href)];
      if (!next) { return; }
      swapped += 1;
      if (new URL(next, location.href).href === link.href) { return; }
      var fresh = link.cloneNode(false);
      fresh.href = next;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { location.reload(); });
      link.after(fresh);
    });
    return swapped > 0;
  }

  var source = new EventSource(endpoint + "?since=" + generation);
  source.addEventListener("reload", function () {
    source.close();
    location.reload();
  });
  source.addEventListener("css", function (event) {
    var data = JSON.parse(event.data);
    generation = data.generation;
    if (!swapStylesheets(data.stylesheets)) {
      source.close();
      location.reload();
    }
  });
})();
"""
