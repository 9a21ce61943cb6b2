// Browser push: register the service worker, subscribe with the server's VAPID key, and hand the subscription to
// PIT. Everything it needs comes from data- attributes on the button (no inline script).
(function () {
  "use strict";
  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }
  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  async function subscribe(button, status) {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
      status.textContent = "This browser cannot receive push notifications.";
      return;
    }
    try {
      const registration = await navigator.serviceWorker.register(button.dataset.workerUrl);
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(button.dataset.vapidKey),
      });
      const response = await fetch(button.dataset.registerUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ platform: "web", token: subscription.toJSON(), name: navigator.userAgent.slice(0, 120) }),
      });
      const answer = await response.json();
      status.textContent = answer.ok ? "This browser now gets push notifications." : answer.message;
    } catch (error) {
      status.textContent = "Push could not be turned on: " + error.message;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    const button = document.querySelector("[data-push-subscribe]");
    if (!button) return;
    const status = document.querySelector("[data-push-status]");
    button.addEventListener("click", function () { subscribe(button, status); });
  });
})();
