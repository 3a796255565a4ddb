"""Python's autobahn (asyncio) as a client of the server under test: echoes of text and binary,
with permessage-deflate offered, then a clean close. Prints "ok" and exits 0, or "FAIL ..." and 1."""
import asyncio
import sys

import txaio

from autobahn.asyncio.websocket import WebSocketClientFactory, WebSocketClientProtocol
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateResponse, PerMessageDeflateResponseAccept

URL = sys.argv[1]
MESSAGES = [("hello", False), ("κόσμε 🎉", False), ("compress me " * 4000, False), (bytes(range(256)) * 100, True), ("", False)]
result = {"ok": False, "why": "no close"}


class Client(WebSocketClientProtocol):
    next = 0

    def onOpen(self):
        self.send_next()

    def send_next(self):
        if self.next < len(MESSAGES):
            payload, binary = MESSAGES[self.next]
            self.sendMessage(payload if binary else payload.encode("utf-8"), isBinary=binary)
        else:
            self.sendClose(1000, "done")

    def onMessage(self, payload, isBinary):
        sent, binary = MESSAGES[self.next]
        expected = sent if binary else sent.encode("utf-8")
        if isBinary != binary or payload != expected:
            result["why"] = "message %d came back different" % self.next
            self.sendClose(1000)
            return
        self.next += 1
        self.send_next()

    def onClose(self, wasClean, code, reason):
        if wasClean and code == 1000 and self.next == len(MESSAGES):
            result["ok"] = True
        elif result["why"] == "no close":
            result["why"] = "closed clean=%s code=%s after %d messages (%s)" % (wasClean, code, self.next, reason)
        asyncio.get_event_loop().stop()


def accept(response):
    if isinstance(response, PerMessageDeflateResponse):
        return PerMessageDeflateResponseAccept(response)


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
txaio.config.loop = loop  # autobahn schedules through txaio, which must use the same loop
factory = WebSocketClientFactory(URL, loop=loop)
factory.protocol = Client
factory.setProtocolOptions(perMessageCompressionOffers=[PerMessageDeflateOffer()], perMessageCompressionAccept=accept)
host, port = URL.split("//")[1].split("/")[0].split(":")
loop.run_until_complete(loop.create_connection(factory, host, int(port)))
loop.call_later(20, loop.stop)
loop.run_forever()
if result["ok"]:
    print("ok")
    sys.exit(0)
print("FAIL " + result["why"])
sys.exit(1)
