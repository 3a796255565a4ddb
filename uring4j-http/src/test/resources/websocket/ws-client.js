// Node's `ws` as a client of the server under test: echoes of text (small, large and
// compressible), binary and an empty message, a ping answered by a pong, then a clean close.
// Prints "ok" and exits 0, or prints what went wrong and exits 1.
const WebSocket = require('ws');
const url = process.argv[2];
const deflate = process.argv[3] === 'deflate';
const ws = new WebSocket(url, ['chat'], { perMessageDeflate: deflate });
const messages = [
  'hello', '', 'κόσμε 🎉', 'x'.repeat(70000), 'compress me '.repeat(5000),
  Buffer.from([0, 1, 2, 255, 254]), Buffer.alloc(200000, 7),
];
let next = 0;
function fail(why) { console.log('FAIL ' + why); process.exit(1); }
function sendNext() {
  if (next < messages.length) { ws.send(messages[next]); } else { ws.ping('are you there'); }
}
ws.on('open', () => {
  if (ws.protocol !== 'chat') fail('subprotocol ' + ws.protocol);
  if (deflate !== (ws.extensions.indexOf('permessage-deflate') >= 0)) fail('extensions ' + ws.extensions);
  sendNext();
});
ws.on('message', (data, isBinary) => {
  const sent = messages[next];
  const binary = Buffer.isBuffer(sent);
  if (isBinary !== binary) fail('message ' + next + ' came back as ' + (isBinary ? 'binary' : 'text'));
  const same = binary ? Buffer.compare(data, sent) === 0 : data.toString('utf8') === sent;
  if (!same) fail('message ' + next + ' came back different (' + data.length + ' bytes)');
  next++;
  sendNext();
});
ws.on('pong', (data) => {
  if (data.toString() !== 'are you there') fail('pong payload ' + data);
  ws.close(1000, 'done');
});
ws.on('close', (code, reason) => {
  if (code !== 1000 || next !== messages.length) fail('closed with ' + code + ' after ' + next + ' messages');
  console.log('ok');
  process.exit(0);
});
ws.on('error', (e) => fail(e.message));
setTimeout(() => fail('timed out after ' + next + ' messages'), 20000);
