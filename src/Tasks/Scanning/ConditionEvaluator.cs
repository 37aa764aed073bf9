using System;
using System.Collections.Generic;
using System.Globalization;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>What the scan knows of an #if/#elif condition.</summary>
    internal enum ConditionValue
    {
        Unknown,
        True,
        False,
    }

    /// <summary>
    /// Evaluates the macro-expanded tokens of an #if line as a C integer constant expression: intmax_t and
    /// uintmax_t arithmetic with the usual conversions, short-circuit operators whose unevaluated side may
    /// divide by zero, identifiers left after expansion (and <c>false</c>) as 0, <c>true</c> as 1. Anything
    /// it does not understand (a malformed line, a floating literal, division by zero) is Unknown: NVRTC
    /// reports an error there, and the scan keeps every branch.
    /// </summary>
    internal sealed class ConditionEvaluator
    {
        private readonly List<string> _tokens;
        private readonly List<PpTokenKind> _kinds;
        private int _position;

        private ConditionEvaluator(List<string> tokens, List<PpTokenKind> kinds)
        {
            _tokens = tokens;
            _kinds = kinds;
        }

        private struct Value
        {
            public Value(long bits, bool unsigned)
            {
                Bits = bits;
                Unsigned = unsigned;
            }

            public long Bits { get; }
            public bool Unsigned { get; }
            public bool IsZero => Bits == 0;
        }

        private sealed class NotConstantException : Exception
        {
        }

        public static ConditionValue Evaluate(IReadOnlyList<PpToken> expanded)
        {
            var tokens = new List<string>(expanded.Count);
            var kinds = new List<PpTokenKind>(expanded.Count);
            for (int i = 0; i < expanded.Count; i++)
            {
                PpToken token = expanded[i];
                // The lexer splits punctuators into single characters: join the two-character operators.
                if (token.Kind == PpTokenKind.Punctuator && tokens.Count > 0 && kinds[kinds.Count - 1] == PpTokenKind.Punctuator
                    && !token.SpaceBefore && IsTwoCharacterOperator(tokens[tokens.Count - 1] + token.Text))
                {
                    tokens[tokens.Count - 1] += token.Text;
                    continue;
                }
                tokens.Add(token.Text);
                kinds.Add(token.Kind);
            }
            if (tokens.Count == 0)
                return ConditionValue.Unknown;
            var evaluator = new ConditionEvaluator(tokens, kinds);
            try
            {
                Value value = evaluator.Conditional(evaluate: true);
                if (evaluator._position != tokens.Count)
                    return ConditionValue.Unknown;
                return value.IsZero ? ConditionValue.False : ConditionValue.True;
            }
            catch (NotConstantException)
            {
                return ConditionValue.Unknown;
            }
        }

        private static bool IsTwoCharacterOperator(string text) =>
            text == "&&" || text == "||" || text == "==" || text == "!=" || text == "<=" || text == ">=" || text == "<<" || text == ">>";

        private string? Peek => _position < _tokens.Count ? _tokens[_position] : null;

        private bool Accept(string text)
        {
            if (_position < _tokens.Count && _kinds[_position] == PpTokenKind.Punctuator && _tokens[_position] == text)
            {
                _position++;
                return true;
            }
            return false;
        }

        private void Expect(string text)
        {
            if (!Accept(text))
                throw new NotConstantException();
        }

        private Value Conditional(bool evaluate)
        {
            Value condition = Binary(0, evaluate);
            if (!Accept("?"))
                return condition;
            Value whenTrue = Conditional(evaluate && !condition.IsZero);
            Expect(":");
            Value whenFalse = Conditional(evaluate && condition.IsZero);
            bool unsigned = whenTrue.Unsigned || whenFalse.Unsigned;
            Value chosen = condition.IsZero ? whenFalse : whenTrue;
            return new Value(chosen.Bits, unsigned);
        }

        private static readonly string[][] s_levels =
        {
            new[] { "||" }, new[] { "&&" }, new[] { "|" }, new[] { "^" }, new[] { "&" }, new[] { "==", "!=" },
            new[] { "<", ">", "<=", ">=" }, new[] { "<<", ">>" }, new[] { "+", "-" }, new[] { "*", "/", "%" },
        };

        private Value Binary(int level, bool evaluate)
        {
            if (level == s_levels.Length)
                return Unary(evaluate);
            Value left = Binary(level + 1, evaluate);
            while (true)
            {
                string? op = Array.Find(s_levels[level], candidate => Peek == candidate && _kinds[_position] == PpTokenKind.Punctuator);
                if (op == null)
                    return left;
                _position++;
                bool evaluateRight = evaluate && !(op == "||" && !left.IsZero) && !(op == "&&" && left.IsZero);
                Value right = Binary(level + 1, evaluateRight);
                left = Apply(op, left, right, evaluateRight);
            }
        }

        private static Value Apply(string op, Value left, Value right, bool evaluate)
        {
            switch (op)
            {
                case "||":
                    return Bool(!left.IsZero || !right.IsZero);
                case "&&":
                    return Bool(!left.IsZero && !right.IsZero);
                case "<<":
                case ">>":
                    return Shift(op, left, right);
            }
            bool unsigned = left.Unsigned || right.Unsigned;
            long a = left.Bits, b = right.Bits;
            switch (op)
            {
                case "|": return new Value(a | b, unsigned);
                case "^": return new Value(a ^ b, unsigned);
                case "&": return new Value(a & b, unsigned);
                case "==": return Bool(a == b);
                case "!=": return Bool(a != b);
                case "<": return Bool(unsigned ? (ulong)a < (ulong)b : a < b);
                case ">": return Bool(unsigned ? (ulong)a > (ulong)b : a > b);
                case "<=": return Bool(unsigned ? (ulong)a <= (ulong)b : a <= b);
                case ">=": return Bool(unsigned ? (ulong)a >= (ulong)b : a >= b);
                case "+": return new Value(unchecked(a + b), unsigned);
                case "-": return new Value(unchecked(a - b), unsigned);
                case "*": return new Value(unchecked(a * b), unsigned);
            }
            // "/" and "%": dividing by zero (or intmax_t's minimum by -1) is an error NVRTC reports only
            // where the operand is evaluated.
            if (b == 0 || (!unsigned && a == long.MinValue && b == -1))
            {
                if (evaluate)
                    throw new NotConstantException();
                return new Value(0, unsigned);
            }
            if (unsigned)
                return new Value(unchecked((long)(op == "/" ? (ulong)a / (ulong)b : (ulong)a % (ulong)b)), true);
            return new Value(op == "/" ? a / b : a % b, false);
        }

        private static Value Shift(string op, Value left, Value right)
        {
            int count = (int)Math.Min(Math.Max(right.Bits, -64), 64);
            bool leftShift = (op == "<<") == (count >= 0);
            count = Math.Abs(count);
            if (count >= 64)
                return new Value(!leftShift && !left.Unsigned && left.Bits < 0 ? -1 : 0, left.Unsigned);
            if (leftShift)
                return new Value(unchecked(left.Bits << count), left.Unsigned);
            return new Value(left.Unsigned ? (long)((ulong)left.Bits >> count) : left.Bits >> count, left.Unsigned);
        }

        private static Value Bool(bool value) => new Value(value ? 1 : 0, false);

        private Value Unary(bool evaluate)
        {
            if (Accept("+"))
                return Unary(evaluate);
            if (Accept("-"))
            {
                Value operand = Unary(evaluate);
                return new Value(unchecked(-operand.Bits), operand.Unsigned);
            }
            if (Accept("~"))
            {
                Value operand = Unary(evaluate);
                return new Value(~operand.Bits, operand.Unsigned);
            }
            if (Accept("!"))
                return Bool(Unary(evaluate).IsZero);
            if (Accept("("))
            {
                Value inner = Conditional(evaluate);
                Expect(")");
                return inner;
            }
            return Primary();
        }

        private Value Primary()
        {
            if (_position >= _tokens.Count)
                throw new NotConstantException();
            string text = _tokens[_position];
            PpTokenKind kind = _kinds[_position++];
            switch (kind)
            {
                case PpTokenKind.Number:
                    return Number(text);
                case PpTokenKind.Character:
                    return Character(text);
                case PpTokenKind.Identifier:
                    return new Value(text == "true" ? 1 : 0, false);
            }
            throw new NotConstantException();
        }

        /// <summary>An integer literal: decimal, 0x, 0b or octal, digit separators, u/l/ll suffixes. A value
        /// beyond intmax_t becomes unsigned, as GCC and EDG make it.</summary>
        private static Value Number(string text)
        {
            string digits = text.Replace("'", "");
            int end = digits.Length;
            bool unsigned = false;
            while (end > 0 && "uUlL".IndexOf(digits[end - 1]) >= 0)
            {
                unsigned |= digits[end - 1] == 'u' || digits[end - 1] == 'U';
                end--;
            }
            digits = digits.Substring(0, end);
            int radix = 10;
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                radix = 16;
                digits = digits.Substring(2);
            }
            else if (digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
            {
                radix = 2;
                digits = digits.Substring(2);
            }
            else if (digits.Length > 1 && digits[0] == '0')
                radix = 8;
            if (digits.Length == 0)
                throw new NotConstantException();
            ulong value = 0;
            foreach (char c in digits)
            {
                int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
                if (digit >= radix)
                    throw new NotConstantException(); // a floating literal, or a user-defined suffix
                ulong next = unchecked(value * (ulong)radix + (ulong)digit);
                if ((next - (ulong)digit) / (ulong)radix != value)
                    throw new NotConstantException(); // too large for uintmax_t
                value = next;
            }
            return new Value(unchecked((long)value), unsigned || value > long.MaxValue);
        }

        /// <summary>A plain character literal of one character or a simple escape; others are Unknown.</summary>
        private static Value Character(string text)
        {
            if (text.Length == 3 && text[0] == '\'' && text[2] == '\'')
                return new Value((sbyte)text[1], false);
            if (text.Length == 4 && text[0] == '\'' && text[1] == '\\' && text[3] == '\'')
            {
                int index = "ntr0\\'\"abfv?".IndexOf(text[2]);
                if (index >= 0)
                    return new Value("\n\t\r\0\\'\"\a\b\f\v?"[index], false);
            }
            throw new NotConstantException();
        }

        public override string ToString() => string.Join(" ", _tokens) + " @" + _position.ToString(CultureInfo.InvariantCulture);
    }
}
