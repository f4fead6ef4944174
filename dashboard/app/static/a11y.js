/* What Streamlit does not let the app say itself (issue 21 point 7, WCAG 2.1 AA):
   - the page's language on the html element (zh-CN or en; Streamlit's index.html says "en");
   - Streamlit's and Plotly's own English words (aria-label, title, placeholder, the
     toolbar's data-title, a few texts such as the skip link) in the zh UI, from the list in
     data/i18n.yaml `streamlit_ui`, put back when the reader switches to English;
   - each chart's description: its figure sentence (the .chart-alt element with the id
     "alt-KEY", KEY the chart's widget key) named by aria-describedby.
   Its data come from the #shsts-a11y element (chrome.py); this file never changes with
   them, so a Content-Security-Policy can allow it by one hash. It uses no "less than"
   sign: Streamlit's HTML sanitiser drops a script whose text looks like markup. */
(function () {
  "use strict";
  var config = document.getElementById("shsts-a11y");
  if (!config) {
    return;
  }
  var state = window.shstsA11y;
  if (!state) {
    // saved: node -> {slot: {english, shown}}; texts: the text nodes ever swapped (a
    // language switch revisits them: their words are no longer the English ones).
    state = window.shstsA11y = { saved: new WeakMap(), texts: new Set(), observer: null };
  }
  state.lang = config.getAttribute("data-lang") === "en" ? "en" : "zh";
  state.exact = new Map();
  state.patterns = [];
  JSON.parse(config.getAttribute("data-words") || "[]").forEach(function (word) {
    var at = word.en.indexOf("{label}");
    if (at === -1) {
      state.exact.set(word.en, word.zh);
    } else {
      state.patterns.push({ head: word.en.slice(0, at), tail: word.en.slice(at + 7), zh: word.zh });
    }
  });
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";

  var ATTRIBUTES = ["aria-label", "title", "placeholder", "data-title"];
  var SELECTOR = "[aria-label], [title], [placeholder], [data-title]";

  function translate(english) {
    var trimmed = english.trim();
    if (state.exact.has(trimmed)) {
      return state.exact.get(trimmed);
    }
    for (var k = 0; k !== state.patterns.length; k += 1) {
      var p = state.patterns[k];
      var room = trimmed.length - p.head.length - p.tail.length;
      if (room > 0 && trimmed.startsWith(p.head) && trimmed.endsWith(p.tail)) {
        return p.zh.replace("{label}", trimmed.slice(p.head.length, trimmed.length - p.tail.length));
      }
    }
    return null;
  }

  // One value of a node: `get` reads it, `set` writes it; the English original is kept
  // beside what we wrote, so a value the app changes since is taken as the new original.
  function swap(node, slot, get, set) {
    var now = get();
    if (now === null || now === undefined || now === "") {
      return;
    }
    var saved = state.saved.get(node);
    if (!saved) {
      saved = {};
      state.saved.set(node, saved);
    }
    var mine = saved[slot];
    var english = mine && now === mine.shown ? mine.english : now;
    var wanted = state.lang === "zh" ? translate(english) : null;
    if (wanted === null) {
      if (mine && now === mine.shown) {
        set(english);
      }
      delete saved[slot];
      return;
    }
    saved[slot] = { english: english, shown: wanted };
    state.swapped = true;
    if (now !== wanted) {
      set(wanted);
    }
  }

  function fixAttribute(element, name) {
    swap(
      element,
      name,
      function () {
        return element.getAttribute(name);
      },
      function (value) {
        element.setAttribute(name, value);
      }
    );
  }

  function fixElement(element) {
    ATTRIBUTES.forEach(function (name) {
      if (element.hasAttribute(name)) {
        fixAttribute(element, name);
      }
    });
  }

  function fixText(node) {
    var parent = node.parentElement;
    if (!parent || parent.closest("script, style, .stPlotlyChart svg")) {
      return;
    }
    swap(
      node,
      "text",
      function () {
        return node.nodeValue;
      },
      function (value) {
        node.nodeValue = value;
        state.texts.add(node);
      }
    );
  }

  function fixTree(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      fixText(root);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    if (root.matches(SELECTOR)) {
      fixElement(root);
    }
    root.querySelectorAll(SELECTOR).forEach(fixElement);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (state.exact.has(node.nodeValue.trim())) {
        fixText(node);
      }
    }
  }

  function describeCharts() {
    document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach(function (chart) {
      var box = chart.closest('[class*="st-key-"]');
      var found = box ? /(?:^|\s)st-key-(\S+)/.exec(box.className) : null;
      var description = found ? document.getElementById("alt-" + found[1]) : null;
      if (description && chart.getAttribute("aria-describedby") !== description.id) {
        chart.setAttribute("aria-describedby", description.id);
      }
    });
  }

  function onChange(records) {
    // An English page that never showed Chinese words has nothing to put back.
    var idle = state.lang === "en" && !state.swapped;
    records.forEach(function (record) {
      if (idle) {
        return;
      }
      if (record.type === "attributes") {
        fixAttribute(record.target, record.attributeName);
      } else if (record.type === "characterData") {
        fixText(record.target);
      } else {
        record.addedNodes.forEach(fixTree);
      }
    });
    describeCharts();
  }

  if (!state.observer) {
    state.observer = new MutationObserver(onChange);
    state.observer.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ATTRIBUTES,
    });
  }
  if (state.lang === "zh" || state.swapped) {
    state.texts.forEach(function (node) {
      if (node.isConnected) {
        fixText(node);
      } else {
        state.texts.delete(node);
      }
    });
    fixTree(document.body);
  }
  describeCharts();
})();
