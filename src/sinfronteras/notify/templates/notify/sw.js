/* sinfronteras service worker: shows the notes the server pushes, opens their page. */
"use strict";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var note = {title: "sinfronteras", body: "", url: "/", kind: ""};
  if (event.data) {
    try { Object.assign(note, event.data.json()); } catch (e) { note.body = event.data.text(); }
  }
  event.waitUntil(
    self.registration.showNotification(note.title, {body: note.body, tag: note.kind || undefined,
                                                   data: {url: note.url}})
      .then(function () { return self.clients.matchAll({type: "window", includeUncontrolled: true}); })
      .then(function (open) {
        open.forEach(function (client) { client.postMessage({type: "push", title: note.title, body: note.body}); });
      })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = new URL((event.notification.data || {}).url || "/", self.location.origin);
  if (url.origin !== self.location.origin) { url = new URL("/", self.location.origin); }
  event.waitUntil(self.clients.openWindow(url.href));
});
