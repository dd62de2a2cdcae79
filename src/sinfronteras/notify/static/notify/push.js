/* Turns Web Push on or off for this device (account page). No third-party code. */
(function () {
  "use strict";
  var box = document.getElementById("push-device");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;
  }
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");
  var status = document.getElementById("push-status");
  box.hidden = false;

  function say(text) { status.textContent = text; }
  function show(subscribed) { on.hidden = subscribed; off.hidden = !subscribed; }
  function keyBytes(text) {
    var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  function post(url, fields) {
    var body = new FormData();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    body.append("csrfmiddlewaretoken", box.querySelector("[name=csrfmiddlewaretoken]").value);
    return fetch(url, {method: "POST", body: body, credentials: "same-origin",
                       headers: {"Accept": "application/json"}}).then(function (response) {
      if (!response.ok) { throw new Error("refused"); }
      return response.json();
    });
  }

  // A note that arrives while this page is open is also said here.
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "push") { say(event.data.body); }
  });

  var ready = navigator.serviceWorker.register(box.dataset.worker, {scope: "/"})
    .then(function () { return navigator.serviceWorker.ready; });
  ready.then(function (registration) { return registration.pushManager.getSubscription(); })
    .then(function (subscription) { show(Boolean(subscription) && Notification.permission === "granted"); })
    .catch(function () { say(box.dataset.failed); });

  on.addEventListener("click", function () {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say(box.dataset.denied); return null; }
      return ready.then(function (registration) {
        return registration.pushManager.subscribe({userVisibleOnly: true,
                                                   applicationServerKey: keyBytes(box.dataset.key)});
      }).then(function (subscription) {
        var json = subscription.toJSON();
        return post(box.dataset.subscribe, {endpoint: json.endpoint, p256dh: json.keys.p256dh,
                                            auth: json.keys.auth});
      }).then(function () { show(true); say(box.dataset.saidOn); });
    }).catch(function () { say(box.dataset.failed); });
  });

  off.addEventListener("click", function () {
    ready.then(function (registration) { return registration.pushManager.getSubscription(); })
      .then(function (subscription) {
        if (!subscription) { return null; }
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return post(box.dataset.unsubscribe, {endpoint: endpoint});
        });
      })
      .then(function () { show(false); say(box.dataset.saidOff); })
      .catch(function () { say(box.dataset.failed); });
  });
}());
