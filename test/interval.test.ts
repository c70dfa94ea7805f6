import { describe, expect, it } from 'vitest';
import {
  add,
  div,
  isBounded,
  meets,
  minWith,
  mul,
  printedInterval,
  scale,
  sub,
  sum,
  withinOneUnit,
} from '../src/check/interval.js';
import { decimalsOf, printedValue } from '../src/check/precision.js';

const close = (a: { lo: number; hi: number }, lo: number, hi: number): void => {
  expect(a.lo).toBeCloseTo(lo, 9);
  expect(a.hi).toBeCloseTo(hi, 9);
};

describe('printedInterval', () => {
  it('covers half a unit towards zero and a full unit away from zero', () => {
    close(printedInterval(98.6, 2), 98.595, 98.61);
    close(printedInterval(10, 0), 9.5, 11);
    close(printedInterval(0.5, 1), 0.45, 0.6);
  });
  it('mirrors negative numbers', () => {
    close(printedInterval(-98.6, 2), -98.61, -98.595);
    close(printedInterval(-10, 0), -11, -9.5);
  });
  it('covers a full unit either side of zero', () => {
    close(printedInterval(0, 2), -0.01, 0.01);
  });
  it('accepts a truncated value and rejects one that neither rounds nor truncates to the print', () => {
    const exact = (x: number) => ({ lo: x, hi: x });
    expect(meets(exact(98.608), printedInterval(98.6, 2))).toBe(true); // truncated 98.608 → 98.60
    expect(meets(exact(98.594), printedInterval(98.6, 2))).toBe(false);
    expect(meets(exact(96.963), printedInterval(96.97, 2))).toBe(false); // 96.96 either way
    expect(meets(exact(96.965), printedInterval(96.97, 2))).toBe(true); // rounds up
  });
});

describe('interval operations', () => {
  const a = { lo: 1, hi: 2 };
  const b = { lo: 3, hi: 5 };
  it('adds and subtracts', () => {
    expect(add(a, b)).toEqual({ lo: 4, hi: 7 });
    expect(sub(a, b)).toEqual({ lo: -4, hi: -1 });
    expect(sum([a, b, a])).toEqual({ lo: 5, hi: 9 });
  });
  it('multiplies across signs', () => {
    expect(mul(a, b)).toEqual({ lo: 3, hi: 10 });
    expect(mul({ lo: -1, hi: 2 }, b)).toEqual({ lo: -5, hi: 10 });
  });
  it('divides, and gives up on a divisor that may be zero', () => {
    close(div(b, { lo: 2, hi: 4 }), 0.75, 2.5);
    const byZero = div(b, { lo: -0.01, hi: 0.01 });
    expect(isBounded(byZero)).toBe(false);
    expect(meets(byZero, { lo: 1e9, hi: 1e9 })).toBe(true);
  });
  it('scales by a constant and caps with min', () => {
    expect(scale(a, 100)).toEqual({ lo: 100, hi: 200 });
    expect(scale(a, -1)).toEqual({ lo: -2, hi: -1 });
    expect(minWith({ lo: 99, hi: 101 }, 100)).toEqual({ lo: 99, hi: 100 });
  });
  it('meets when the intervals share a value, touching ends included', () => {
    expect(meets(a, { lo: 2, hi: 3 })).toBe(true);
    expect(meets(a, { lo: 2.0001, hi: 3 })).toBe(false);
  });
  it('a money total of k rounded amounts may differ by up to k half-units', () => {
    const parts = [printedInterval(50, 2), printedInterval(50, 2)];
    expect(meets(sum(parts), printedInterval(100.01, 2))).toBe(true);
    expect(meets(sum(parts), printedInterval(100.03, 2))).toBe(false);
  });
  it('a score total agrees within one unit of its last printed decimal', () => {
    expect(withinOneUnit(94.94, 94.93, 2)).toBe(true);
    expect(withinOneUnit(94.94, 94.92, 2)).toBe(false);
    expect(withinOneUnit(97.5, 97.4, 1)).toBe(true);
    expect(withinOneUnit(0.3, 0.1 + 0.2, 2)).toBe(true);
  });
});

describe('precision', () => {
  it('reads decimals from the JSON number when nothing is printed', () => {
    expect(decimalsOf(98.6)).toBe(1);
    expect(decimalsOf(10)).toBe(0);
    expect(decimalsOf(1454341.54)).toBe(2);
    expect(decimalsOf(1e-7)).toBe(7);
  });
  it('prefers the printed string', () => {
    const p = printedValue(10, 'funding.total.weight', { 'funding.total.weight': '10.00' });
    expect(p?.decimals).toBe(2);
    expect(p?.text).toBe('10.00');
    close(p!.interval, 9.995, 10.01);
    expect(printedValue(96.97, 'r', { r: '96.97%' })?.decimals).toBe(2);
    expect(printedValue(99.35, 'r', { r: '99.35(%)' })?.decimals).toBe(2);
    expect(printedValue(1934.41, 'a', { a: '1,934.41' })?.decimals).toBe(2);
  });
  it('is missing for a missing value', () => {
    expect(printedValue(null, 'x', { x: '1.00' })).toBeNull();
  });
});
