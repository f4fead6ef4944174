// The Sources page's full text scrolled to the quote a link landed on (?quote=<anchor>).
// Always these exact bytes, so the nginx Content-Security-Policy allows this one inline
// script by its hash (deploy/serve.py): it reads the anchor from the page's URL.
(() => {
  const id = new URLSearchParams(window.parent.location.search).get("quote");
  const el = id ? window.parent.document.getElementById(id) : null;
  if (el) el.scrollIntoView({ block: "center" });
})();
