// The form builder's preview as one types: the step's or field's form, unsaved, is sent
// to each preview frame's address and the frame shows the answer. Without JavaScript the
// frames show the draft as saved and change on "Spara".
const form = document.querySelector("form[data-live-preview]");
const frames = document.querySelectorAll("iframe[data-preview]");
let timer = null;
let sent = 0;

async function refresh() {
  const number = ++sent;
  const body = new FormData(form);
  body.append("editing", form.dataset.livePreview);
  await Promise.all(Array.from(frames, async (frame) => {
    const response = await fetch(frame.dataset.preview, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": body.get("csrfmiddlewaretoken") },
    });
    if (response.ok && number === sent) {
      frame.srcdoc = await response.text();
    }
  }));
}

if (form && frames.length) {
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
}
