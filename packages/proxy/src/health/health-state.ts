// HAProxy's check health counter (check.c set_server_check_status, server.c srv_getinter):
// `health` runs from 0 to rise + fall - 1 and the server counts as UP from `rise` on. A failure
// takes one off, and drops to 0 (DOWN) once below `rise`; a success adds one, and jumps to the
// top once `rise` is reached. A checked server starts at `rise`: UP, but DOWN at its first
// failure (observed with the binary: an unreachable server is DOWN after one check).
export type Transition = 'up' | 'down' | undefined;

export class CheckHealth {
  health: number;

  constructor(readonly rise: number, readonly fall: number, disabled = false) {
    this.health = disabled ? 0 : rise;
  }

  get up(): boolean {
    return this.health >= this.rise;
  }

  /** Counts one result; says whether the server just went UP or DOWN. */
  record(pass: boolean): Transition {
    const wasUp = this.up;
    const top = this.rise + this.fall - 1;
    if (pass) {
      if (this.health < top) {
        this.health++;
        if (this.health >= this.rise) this.health = top;
      }
    } else if (this.health > 0) {
      this.health--;
      if (this.health < this.rise) this.health = 0;
    }
    if (wasUp !== this.up) return this.up ? 'up' : 'down';
    return undefined;
  }

  /** The delay before the next check: inter when steady UP, downinter when DOWN, else fastinter. */
  interval(inter: number, fastinter: number | undefined, downinter: number | undefined): number {
    if (this.health === this.rise + this.fall - 1) return inter;
    if (this.health === 0) return downinter ?? inter;
    return fastinter ?? inter;
  }

  /** HAProxy's `status: N/M` figures (as `option log-health-checks` and the stats page show them). */
  progress(): { value: number; of: number } {
    return this.up ? { value: this.health - this.rise + 1, of: this.fall } : { value: this.health, of: this.rise };
  }
}
