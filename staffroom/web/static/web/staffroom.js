// Assistive technology hears that a form is working while htmx waits for the server
// (following a whole starter pack takes a few seconds): the element that sent the request
// is aria-busy until the answer arrives. A file, not inline: the CSP allows only 'self'.
document.addEventListener("htmx:beforeRequest", (event) => {
  event.detail.elt.setAttribute("aria-busy", "true");
});
document.addEventListener("htmx:afterRequest", (event) => {
  event.detail.elt.removeAttribute("aria-busy");
});
