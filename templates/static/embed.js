/*! researcher-card: embeddable publication cards from a sitegen site. No dependencies.
 *
 *   <script src="https://example.org/site/embed.js" defer></script>
 *   <researcher-card src="https://example.org/site/authors/ada/card.json"
 *                    papers="5" layout="full"></researcher-card>
 *
 * The card renders in a Shadow DOM: the page's CSS cannot reach inside and the card's CSS
 * cannot leak out. Data is only ever inserted with textContent and DOM APIs, and links must
 * be http(s). The script also resizes <iframe> cards (card.html) that report their height.
 * Fields read from card.json are documented in docs/cards.md.
 */
(function () {
  "use strict";
  var TAG = "researcher-card";
  var SCHEMA = 1;
  var MAX_PAPERS = 20;
  var HEIGHT_MESSAGE = "researcher-card:height";
  if (!window.customElements || window.customElements.get(TAG)) return;

  /* card.html posts its height; size the matching iframe so it fits its content. */
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== HEIGHT_MESSAGE) return;
    var height = Number(data.height);
    if (!(height > 0 && height < 20000)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.ceil(height) + "px";
        return;
      }
    }
  });

  var FONT = '14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif';
  var CSS = [
    /* The embedding page may size and place the card (its rules beat :host); everything
       drawn inside sets its own font and colours, so nothing inherited from the page shows. */
    ":host{all:initial;display:block;box-sizing:border-box;max-width:100%;text-align:start}",
    ":host([hidden]){display:none}",
    "*{box-sizing:border-box}",
    ".card{margin:0;padding:14px 16px;border:1px solid #c9ced6;border-radius:10px;" +
      "background:#fff;color:#1b1f24;font:" + FONT + ";overflow-wrap:anywhere}",
    ".name{margin:0;font-size:18px;line-height:1.35;font-weight:700;color:inherit}",
    "a{color:#0a58ca;font-size:inherit}",
    ".name a{color:inherit;text-decoration:none}",
    "a:hover,a:focus{text-decoration:underline}",
    "a:focus-visible{outline:2px solid currentColor;outline-offset:2px}",
    ".aff{margin:2px 0 0;font-size:13px;color:#4f5660}",
    ".metrics{display:flex;flex-wrap:wrap;gap:2px 14px;margin:8px 0 0;padding:0;" +
      "list-style:none;font-size:13px;color:#4f5660}",
    ".metrics b{font-weight:600;color:#1b1f24}",
    ".papers{margin:10px 0 0;padding:0;list-style:none;border-top:1px solid #e1e4e8}",
    ".papers li{margin:0;padding:8px 0;border-bottom:1px solid #e1e4e8}",
    ".title{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;" +
      "overflow:hidden;font-weight:600;text-decoration:none}",
    ".meta{display:flex;gap:4px;margin:2px 0 0;font-size:12px;color:#4f5660;white-space:nowrap}",
    ".by{min-width:0;overflow:hidden;text-overflow:ellipsis}",
    ".compact .papers li{display:flex;gap:10px;align-items:baseline;padding:6px 0}",
    ".compact .title{flex:1;-webkit-line-clamp:1}",
    ".year{font-size:12px;color:#4f5660}",
    ".msg{margin:10px 0 0;color:#4f5660}",
    ".msg:first-child{margin:0}",
    ".error{color:#b3261e}",
    "footer{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 12px;" +
      "margin-top:8px;font-size:13px}",
    "footer span{color:#4f5660}",
    "@media (prefers-color-scheme:dark){" +
      ".card{background:#16191d;color:#e6e8eb;border-color:#3d434b}" +
      "a{color:#8ab4f8}" +
      ".aff,.metrics,.meta,.year,.msg,footer span{color:#aeb5be}" +
      ".metrics b{color:#e6e8eb}" +
      ".error{color:#f2b8b5}" +
      ".papers,.papers li{border-color:#30353c}}"
  ].join("\n");

  var METRICS = [["h_index", "h-index"], ["citations", "citations"], ["papers", "papers"]];
  var LANG_RE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
  var cache = {};

  function text(value) {
    return typeof value === "string" ? value : "";
  }

  function href(value, base) {
    if (typeof value !== "string" || !value) return null;
    try {
      var url = new URL(value, base);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function el(tag, className, content, parent) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content != null) node.textContent = content;
    if (parent) parent.appendChild(node);
    return node;
  }

  function link(url, content, className) {
    if (!url) return el("span", className, content);
    var a = el("a", className, content);
    a.href = url;
    return a;
  }

  function grouped(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function byline(paper) {
    var names = Array.isArray(paper.authors) ? paper.authors.filter(function (a) {
      return typeof a === "string";
    }) : [];
    var out = names.slice(0, 3).join(", ");
    if (paper.et_al === true || names.length > 3) out += " et al.";
    return out;
  }

  /* One request per card.json, shared by every card on the page; failures are retried. */
  function load(src) {
    if (!cache[src]) {
      cache[src] = fetch(src, { credentials: "omit", mode: "cors" }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json().catch(function () { throw new Error("not valid JSON"); });
      }, function () {
        throw new Error("network error");
      }).then(function (data) {
        if (!data || typeof data !== "object" || typeof data.schema_version !== "number") {
          throw new Error("not a card.json file");
        }
        if (Math.floor(data.schema_version) > SCHEMA) {
          throw new Error("card format " + data.schema_version + " needs a newer embed.js");
        }
        return data;
      });
      cache[src].catch(function () { delete cache[src]; });
    }
    return cache[src];
  }

  function metricList(metrics) {
    var list = el("ul", "metrics");
    list.setAttribute("aria-label", "Metrics");
    METRICS.forEach(function (pair) {
      var value = metrics[pair[0]];
      if (typeof value !== "number" || !isFinite(value)) return;
      var item = el("li", null, null, list);
      el("b", null, grouped(value), item);
      item.appendChild(document.createTextNode(" " + pair[1]));
    });
    return list.childNodes.length ? list : null;
  }

  function paperItem(paper, src, compact) {
    var li = el("li");
    li.appendChild(link(href(paper.url, src), text(paper.title) || "Untitled", "title"));
    var year = typeof paper.year === "number" ? String(paper.year) : "";
    if (compact) {
      if (year) el("span", "year", year, li);
      return li;
    }
    var meta = el("p", "meta", null, li);
    var names = byline(paper);
    if (names) el("span", "by", names, meta);
    if (year) {
      if (names) el("span", null, "\u00b7", meta).setAttribute("aria-hidden", "true");
      var time = el("time", null, year, meta);
      if (/^\d{4}-\d{2}-\d{2}$/.test(text(paper.date))) time.setAttribute("datetime", paper.date);
    }
    return li;
  }

  class ResearcherCard extends HTMLElement {
    static get observedAttributes() {
      return ["src", "papers", "layout", "heading-level"];
    }

    connectedCallback() {
      if (!this.shadowRoot) this.attachShadow({ mode: "open" }).appendChild(el("style", null, CSS));
      this.render();
    }

    attributeChangedCallback() {
      if (this.shadowRoot) this.render();
    }

    get compact() {
      return this.getAttribute("layout") === "compact";
    }

    /* A fresh <article> in the shadow root, replacing whatever was drawn before. */
    frame() {
      var root = this.shadowRoot;
      while (root.childNodes.length > 1) root.removeChild(root.lastChild);
      var card = el("article", "card " + (this.compact ? "compact" : "full"), null, root);
      card.setAttribute("lang", "en");
      return card;
    }

    message(content, isError) {
      var card = this.frame();
      card.setAttribute("aria-busy", isError ? "false" : "true");
      var p = el("p", isError ? "msg error" : "msg", content, card);
      if (isError) p.setAttribute("role", "alert");
    }

    render() {
      var self = this;
      var token = (this.token = (this.token || 0) + 1);
      var src = href(this.getAttribute("src"), document.baseURI);
      if (!src) {
        this.message("Publications could not be loaded: the card has no valid src address.", true);
        return;
      }
      this.message("Loading publications\u2026", false);
      load(src).then(function (data) {
        if (token === self.token) self.draw(data, src);
      }, function (error) {
        if (token === self.token) {
          self.message("Publications could not be loaded (" + error.message + ").", true);
        }
      });
    }

    draw(data, src) {
      var compact = this.compact;
      var count = parseInt(this.getAttribute("papers"), 10);
      count = isNaN(count) ? 5 : Math.max(0, Math.min(MAX_PAPERS, count));
      var level = parseInt(this.getAttribute("heading-level"), 10);
      if (!(level >= 1 && level <= 6)) level = 2;

      var card = this.frame();
      var lang = text(data.lang);
      card.setAttribute("lang", LANG_RE.test(lang) ? lang : "en");
      var name = text(data.name) || "Unnamed author";
      var authorUrl = href(data.url, src);
      var heading = el("h" + level, "name", null, card);
      heading.id = "name";
      heading.appendChild(link(authorUrl, name));
      card.setAttribute("aria-labelledby", "name");

      var affiliation = text(data.affiliation);
      if (affiliation) el("p", "aff", affiliation, card);
      var metrics = data.metrics && typeof data.metrics === "object" ? metricList(data.metrics) : null;
      if (metrics && !compact) card.appendChild(metrics);

      var papers = (Array.isArray(data.papers) ? data.papers : []).filter(function (paper) {
        return paper && typeof paper === "object";
      }).slice(0, count);
      if (papers.length) {
        var ol = el("ol", "papers", null, card);
        ol.setAttribute("aria-label", "Recent papers");
        papers.forEach(function (paper) { ol.appendChild(paperItem(paper, src, compact)); });
      } else if (count > 0) {
        el("p", "msg", "No papers listed yet.", card);
      }

      var total = typeof data.paper_count === "number" ? data.paper_count : papers.length;
      var footer = el("footer", null, null, card);
      var all = "All " + grouped(total) + (total === 1 ? " paper" : " papers");
      var more = footer.appendChild(link(authorUrl, all));
      if (authorUrl) more.setAttribute("aria-label", all + " by " + name);
      var site = data.site && typeof data.site === "object" ? text(data.site.title) : "";
      if (site) {
        footer.appendChild(document.createTextNode(" "));
        el("span", null, site, footer);
      }
    }
  }

  window.customElements.define(TAG, ResearcherCard);
})();
