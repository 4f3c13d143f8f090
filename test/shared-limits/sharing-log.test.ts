import { describe, expect, it } from 'vitest';
import { createSharingLog } from '../../src/shared-limits/sharing-log.js';
import { capturingLogger } from '../support/log-lines.js';
import { createManualClock } from '../support/manual-clock.js';

function setup() {
  const clock = createManualClock();
  const logged = capturingLogger('info');
  const said = () => logged.lines.map((line) => ({ shared: line.shared, quietChanges: line.quietChanges }));
  return { clock, said, sharing: createSharingLog(logged.log, clock) };
}

describe('the lines that say where the limits are counted', () => {
  it('says the first change away and back, then keeps flaps within a minute quiet and counts them in the next line', () => {
    const { clock, said, sharing } = setup();
    sharing.apart();
    sharing.shared();
    for (let flap = 0; flap < 10; flap++) {
      clock.advance(1_000);
      sharing.apart();
      sharing.shared();
    }
    expect(said()).toEqual([{ shared: false, quietChanges: 0 }, { shared: true, quietChanges: undefined }]);
    clock.advance(60_000);
    sharing.apart();
    sharing.shared();
    expect(said()).toEqual([
      { shared: false, quietChanges: 0 }, { shared: true, quietChanges: undefined },
      { shared: false, quietChanges: 20 }, { shared: true, quietChanges: undefined },
    ]);
  });

  it('says a quiet change away that lasts once the minute is up, and only once', () => {
    const { clock, said, sharing } = setup();
    sharing.apart();
    sharing.shared();
    clock.advance(1_000);
    sharing.apart();
    for (let probe = 0; probe < 58; probe++) {
      clock.advance(1_000);
      sharing.stillApart();
    }
    expect(said()).toEqual([{ shared: false, quietChanges: 0 }, { shared: true, quietChanges: undefined }]);
    for (let probe = 0; probe < 5; probe++) {
      clock.advance(1_000);
      sharing.stillApart();
    }
    expect(said()).toEqual([
      { shared: false, quietChanges: 0 }, { shared: true, quietChanges: undefined }, { shared: false, quietChanges: 1 },
    ]);
  });
});
