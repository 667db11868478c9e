// ivr dashboard: the only script, and an optional one. Every page works without it.
// Selects marked data-autosubmit apply their choice at once instead of waiting for a button.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
