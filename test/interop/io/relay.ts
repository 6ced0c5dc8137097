// A WireGuard data path without the crypto, for tests and benchmarks: what
// the engine does around encryption, over the real seams. TUN batches grow a
// 16-byte header in their headroom and go out as one UDP batch; received
// batches lose the header in place and go to the other TUN in one write.
import { PACKET_HEADROOM, PacketVector, slotSizeFor } from '../../../tunnel-helper/src/engine/io/packet-vector.js';
import type { Endpoint } from '../../../tunnel-helper/src/engine/core/endpoint.js';
import type { TunDevice } from '../../../tunnel-helper/src/engine/io/tun.js';
import type { UdpBind, UdpReceiver } from '../../../tunnel-helper/src/engine/io/udp-bind.js';

/** TUN -> UDP until the TUN closes. */
export function pump(tun: TunDevice, bind: UdpBind, to: Endpoint, mtu = 1420): void {
  const vec = new PacketVector({ capacity: 128, slotSize: slotSizeFor(mtu) });
  const loop = () => tun.readBatch(vec, (err, n) => {
    if (err) return;
    for (let i = 0; i < n; i++) {
      vec.offsets[i]! -= PACKET_HEADROOM;
      vec.lengths[i]! += PACKET_HEADROOM;
      vec.bufs[i]!.writeUInt32LE(4, vec.offsets[i]!); // message type 4, as a transport header would start
    }
    bind.sendBatch(vec, to);
    loop();
  });
  loop();
}

/** UDP -> TUN until the bind closes. */
export function drain(receiver: UdpReceiver, tun: TunDevice, mtu = 1420): void {
  const vec = new PacketVector({ capacity: 128, slotSize: slotSizeFor(mtu), headroom: 0 });
  const loop = () => receiver.receiveBatch(vec, (err, n) => {
    if (err || tun.closed) return;
    for (let i = 0; i < n; i++) {
      vec.offsets[i]! += PACKET_HEADROOM;
      vec.lengths[i]! -= PACKET_HEADROOM;
    }
    tun.writeBatch(vec);
    loop();
  });
  loop();
}
