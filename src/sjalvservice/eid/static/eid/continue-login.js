// Sends the login on at once; without JavaScript the person presses "Fortsätt".
document.querySelectorAll("form[data-continue-login]").forEach(function (form) {
  form.submit();
});
