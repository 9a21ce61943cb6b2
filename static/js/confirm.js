// Forms marked data-confirm ask before they post (deleting a row takes its subtree with it).
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
