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

  const arm = (millisecondsLeft) => {
    clearTimeout(timer);
    if (millisecondsLeft <= 0) {
      window.location.assign(loggedOutUrl);
    } else if (millisecondsLeft > warnBefore) {
      timer = setTimeout(check, millisecondsLeft - warnBefore);
    } else {
      if (!dialog.open) {
        dialog.showModal();
      }
      timer = setTimeout(check, millisecondsLeft);
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
