// The offline shell and push notices (sw.js). A file, not an inline script: the pages run
// under a Content-Security-Policy without 'unsafe-inline'.
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js");
