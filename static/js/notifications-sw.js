// The service worker that shows PIT's push notifications and opens their link when clicked.
self.addEventListener("push", function (event) {
  const data = event.data ? event.data.json() : { title: "PIT", body: "" };
  event.waitUntil(self.registration.showNotification(data.title, { body: data.body, data: { url: data.url } }));
});
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url;
  if (url) event.waitUntil(clients.openWindow(url));
});
