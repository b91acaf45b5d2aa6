#!/usr/bin/python3
"""What a terminal shows after a transcript of pai-diag's stderr.

Reads a `script` transcript (its "Script started/done" lines dropped) and
plays the few controls pai-diag writes: CR, LF, ESC[nA (cursor up),
ESC[J (clear to the end of the screen) and ESC[K (clear to the end of the
line), on a screen of COLS columns (a wide character takes two) with no
height limit, wrapping long lines as a terminal does: a redraw that moved
up over a wrapped line leaves part of it behind, as it would on the
screen.  Prints the final screen, a wrapped line joined again.  Fails
(exit 1) on any other control and on a cursor moved above the top.

usage: screen.py COLS TRANSCRIPT
"""
import re
import sys
import unicodedata


def play(data, cols):
    rows, row, col = [[]], 0, 0
    wrapped = set()     # rows that go on from the row above
    i = 0
    while i < len(data):
        c = data[i]
        m = re.match(r'\x1b\[(\d*)([AJK])', data[i:])
        if m:
            n = int(m.group(1) or 1)
            if m.group(2) == 'A':
                if n > row:
                    sys.exit('cursor up %d from row %d' % (n, row))
                row -= n
            elif m.group(2) == 'J':
                del rows[row][col:]
                del rows[row + 1:]
                wrapped = {r for r in wrapped if r <= row}
            else:
                del rows[row][col:]
            i += len(m.group(0))
            continue
        if c == '\r':
            col = 0
        elif c == '\n':
            row += 1
            if row == len(rows):
                rows.append([])
        elif c == '\x1b' or (ord(c) < 32 and c != '\t'):
            sys.exit('unexpected control %r at %d' % (data[i:i + 8], i))
        else:
            w = 2 if unicodedata.east_asian_width(c) in 'WF' else 1
            if col + w > cols:
                row, col = row + 1, 0
                if row == len(rows):
                    rows.append([])
                wrapped.add(row)
            line = rows[row]
            line.extend(' ' * (col + w - len(line)))
            line[col:col + w] = [c] + [''] * (w - 1)
            col += w
        i += 1
    lines = []
    for i, r in enumerate(rows):
        if i in wrapped and lines:
            lines[-1] += ''.join(r)
        else:
            lines.append(''.join(r))
    return lines


def main():
    cols = int(sys.argv[1])
    with open(sys.argv[2], encoding='utf-8', errors='replace', newline='') as f:
        text = f.read()
    text = ''.join(l for l in text.splitlines(True)
                   if not l.startswith(('Script started', 'Script done')))
    screen = play(text, cols)
    while screen and screen[-1] == '':
        screen.pop()
    print('\n'.join(screen))


main()
