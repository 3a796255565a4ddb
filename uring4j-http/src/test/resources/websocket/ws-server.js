// Node's `ws` as an echo server for the client under test; prints "port N" once listening, and
// for every connection "subprotocol P extensions E" and, when it closes, "closed CODE".
const WebSocket = require('ws');
const deflate = process.argv[2] === 'deflate';
const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: deflate,
  handleProtocols: (protocols) => protocols.has('chat') ? 'chat' : false });
wss.on('listening', () => console.log('port ' + wss.address().port));
wss.on('connection', (ws, req) => {
  console.log('subprotocol ' + ws.protocol + ' extensions ' + (ws.extensions || 'none'));
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('ping', (data) => { /* ws answers pings itself */ });
  ws.on('close', (code) => console.log('closed ' + code));
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
