// Warns before the session ends for inactivity (WCAG 2.2.1 Timing Adjustable) and offers
// "Fortsätt vara inloggad". The server decides: before warning and before leaving, the
// script asks how long is left, so activity in another tab is respected.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const warnBefore = Number(dialog.dataset.warning) * 1000;
  const statusUrl = dialog.dataset.statusUrl;
  const loggedOutUrl = dialog.dataset.loggedOutUrl;
  const extendForm = dialog.querySelector("form[data-extend]");
  let timer = null;

  const remaining = async () => {
    const response = await fetch(statusUrl, {
      headers: { "X-Background": "1" },
      credentials: "same-origin",
    });
    const data = await response.json();
    return data.authenticated ? data.remaining * 1000 : 0;
  };

  // Before the session ends, the open step of an e-service is saved as a draft
  // (as background work, so it does not count as activity).
  const autosave = async () => {
    const form = document.querySelector("form[data-autosave]");
    if (!form) {
      return;
    }
    const data = new FormData(form);
    data.set("action", "save");
    // getAttribute: the form's buttons are named "action", which hides form.action.
    const url = form.getAttribute("action") || window.location.href;
    try {
      await fetch(url, {
        method: "POST",
        body: data,
        headers: { "X-Background": "1" },
        credentials: "same-origin",
      });
    } catch {
      // Nothing more can be done once the network is gone.
    }
  };

  const arm = async (millisecondsLeft) => {
    clearTimeout(timer);
    if (millisecondsLeft <= 0) {
      window.location.assign(loggedOutUrl);
    } else if (millisecondsLeft <= 15000) {
      await autosave();
      timer = setTimeout(() => window.location.assign(loggedOutUrl), millisecondsLeft);
    } else if (millisecondsLeft > warnBefore) {
      timer = setTimeout(check, millisecondsLeft - warnBefore);
    } else {
      if (!dialog.open) {
        dialog.showModal();
      }
      // Wake up again shortly before the end to save the open step.
      timer = setTimeout(check, millisecondsLeft - 10000);
    }
  };

  const check = async () => {
    try {
      arm(await remaining());
    } catch {
      timer = setTimeout(check, 10000);
    }
  };

  extendForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(extendForm.action, {
      method: "POST",
      body: new FormData(extendForm),
      credentials: "same-origin",
    });
    if (!response.ok) {
      window.location.assign(loggedOutUrl);
      return;
    }
    const data = await response.json();
    dialog.close();
    arm(data.remaining * 1000);
  });

  // Escape closes a modal dialog; closing it without choosing keeps the timer running.
  arm(Number(dialog.dataset.idle) * 1000);
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const headers = event.detail.requestConfig && event.detail.requestConfig.headers;
    if (!headers || headers["X-Background"] !== "1") {
      check();
    }
  });
}
