"""The reload client: a few lines of JavaScript served from the preview server itself.

It is a Python string rather than a file in the theme's ``static/`` folder because every file
there is copied into ``sitegen build`` output, and the client must never be published.

The client knows which build its page shows (``data-generation``) and asks the server for
anything newer, so a build that finished between page load and connection is not missed.
A ``css`` message swaps stylesheets in place (the page, its scroll position and script state
survive); anything else reloads the page. When the server goes away (restarted), the client
keeps trying to reconnect and, once back, reloads if the site changed meanwhile.
"""

from __future__ import annotations

CLIENT_JS = r"""/* sitegen serve: live reload (preview only, never part of a build) */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.WebSocket) { return; }
  var generation = Number(script.getAttribute("data-generation")) || 0;
  var path = script.getAttribute("data-socket");
  var HASHED = /\.[0-9a-f]{10}(\.[^.\/]+)$/;
  var leaving = false;
  var retry = 250;

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
      fresh.addEventListener("error", function () { reload(); });
      link.after(fresh);
    });
    return swapped > 0;
  }

  function reload() {
    leaving = true;
    location.reload();
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + path + "?since=" + generation);
    socket.addEventListener("open", function () { retry = 250; });
    socket.addEventListener("message", function (event) {
      var data = JSON.parse(event.data);
      if (data.kind === "css") {
        generation = data.generation;
        if (swapStylesheets(data.stylesheets)) { return; }
      }
      socket.close();
      reload();
    });
    socket.addEventListener("close", function () {
      if (leaving) { return; }
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 2000);
    });
  }

  window.addEventListener("pagehide", function () { leaving = true; });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { leaving = false; connect(); }  // back from the page cache
  });
  connect();
})();
"""
