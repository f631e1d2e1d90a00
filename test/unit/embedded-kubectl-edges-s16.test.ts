// kubectl's reading of a plain scalar at its edges, pinned against go-yaml v2.4.0 resolve.go (the word table, then
// ParseInt(s, 0, 64) and ParseUint of the text without '_', the YAML float pattern, and ParseFloat as written for a
// text starting with '.'), and what the Falco Operator writes back after the API server's JSON: a number past int64
// is a float64 there (k8s.io/apimachinery util/json convertNumber), written in its shortest digits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlPlain, kubectlWords, operatorWrittenBack } from '../../server/src/service/kubectlYaml';

/** [text, what kubectl reads in words, the text the operator writes back (undefined: kubectl refuses it)] */
const CASES: [string, string, string | undefined][] = [
  // Signs and bases (Go 1.13's base prefixes: 0o17 is octal for go-yaml v2, whatever YAML 1.1 says).
  ['+1', 'the number 1', '1'], ['-0', 'the number 0', '0'], ['+0x1F', 'the number 31', '31'], ['-0b101', 'the number -5', '-5'],
  ['0o17', 'the number 15', '15'], ['0O17', 'the number 15', '15'], ['0o18', 'the string \'0o18\'', '0o18'],
  ['0777', 'the number 511', '511'], ['08', 'the number 8', '8'], ['09.5', 'the number 9.5', '9.5'],
  ['0b', 'the string \'0b\'', '0b'], ['0x', 'the string \'0x\'', '0x'], ['0x1p3', 'the string \'0x1p3\'', '0x1p3'],
  // Underscores go before ParseInt and the float pattern.
  ['1_000', 'the number 1000', '1000'], ['1__0', 'the number 10', '10'], ['0x_1F', 'the number 31', '31'], ['1e3_0', 'the number 1e+30', '1e+30'],
  ['_1', 'the string \'_1\'', '_1'],
  // A text starting with '.' goes to ParseFloat as written: '_' only between two digits.
  ['.5', 'the number 0.5', '0.5'], ['.5_5', 'the number 0.55', '0.55'], ['.5e1_0', 'the number 5000000000', '5000000000'],
  ['._5', 'the string \'._5\'', '._5'], ['.5_', 'the string \'.5_\'', '.5_'], ['.5.', 'the string \'.5.\'', '.5.'], ['.', 'the string \'.\'', '.'],
  ['-.5', 'the number -0.5', '-0.5'], ['+.5', 'the number 0.5', '0.5'],
  // Floats: the pattern, ParseFloat's range (past the largest double a string, below the smallest 0).
  ['1e3', 'the number 1000', '1000'], ['1E3', 'the number 1000', '1000'], ['1.', 'the number 1', '1'], ['-0.0', 'the number 0', '0'],
  ['1.5e-7', 'the number 1.5e-7', '1.5e-07'], ['0.000001', 'the number 0.000001', '1e-06'], ['1.0e21', 'the number 1e+21', '1e+21'],
  ['1e400', 'the string \'1e400\'', '1e400'], ['-1e400', 'the string \'-1e400\'', '-1e400'], ['1e-400', 'the number 0', '0'], ['.1e400', 'the string \'.1e400\'', '.1e400'],
  // The word table: these casings only.
  ['.inf', 'the number +Inf', undefined], ['+.INF', 'the number +Inf', undefined], ['-.Inf', 'the number -Inf', undefined], ['.NaN', 'the number NaN', undefined],
  ['-.nan', 'the string \'-.nan\'', '-.nan'], ['.iNf', 'the string \'.iNf\'', '.iNf'], ['Infinity', 'the string \'Infinity\'', 'Infinity'], ['-inf', 'the string \'-inf\'', '-inf'],
  ['yEs', 'the string \'yEs\'', 'yEs'], ['ON', 'the boolean true', 'true'], ['n', 'the boolean false', 'false'], ['Null', 'null', 'null'],
  // int64, uint64 (an int for kubectl, a float64 for the API server) and past both (a float for kubectl).
  ['9223372036854775807', 'the number 9223372036854775807', '9223372036854775807'],
  ['-9223372036854775808', 'the number -9223372036854775808', '-9223372036854775808'],
  ['9223372036854775808', 'the number 9223372036854775808', '9223372036854776000'],
  ['0x8000000000000000', 'the number 9223372036854775808', '9223372036854776000'],
  ['+9223372036854775808', 'the number 9223372036854776000', '9223372036854776000'],
  ['18446744073709551615', 'the number 18446744073709551615', '1.8446744073709552e+19'],
  ['18446744073709551616', 'the number 18446744073709552000', '1.8446744073709552e+19'],
  ['-9223372036854775809', 'the number -9223372036854776000', '-9.223372036854776e+18'],
  ['123456789012345678901', 'the number 123456789012345680000', '1.2345678901234568e+20'],
  ['0x10000000000000000', 'the string \'0x10000000000000000\'', '0x10000000000000000'],
  // Neither numbers nor times for an unmarshalling into interface{}.
  ['1:30', 'the string \'1:30\'', '1:30'], ['2024-01-02', 'the string \'2024-01-02\'', '2024-01-02'], ['-', 'the string \'-\'', '-'],
];

test('kubectl\'s reading of a plain scalar at its edges, and what the operator writes back', () => {
  const failures: string[] = [];
  for (const [text, words, back] of CASES) {
    const read = kubectlPlain(text);
    const got: [string, string | undefined] = [kubectlWords(read), operatorWrittenBack(read)];
    if (got[0] !== words || got[1] !== back) failures.push(`${text}: ${JSON.stringify(got)}, expected ${JSON.stringify([words, back])}`);
  }
  assert.deepEqual(failures, []);
});
