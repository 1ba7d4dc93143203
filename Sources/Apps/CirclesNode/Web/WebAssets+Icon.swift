extension WebAssets {
    /// `icon.svg`: the playground's icon (three overlapping circles).
    static let iconSVG = ##"""
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#7c5cff"/>
      <stop offset="1" stop-color="#22c3a6"/>
    </linearGradient>
  </defs>
  <rect width="64" height="64" rx="16" fill="url(#g)"/>
  <g fill="none" stroke="#fff" stroke-width="3.5" stroke-opacity="0.95">
    <circle cx="25" cy="26" r="11"/>
    <circle cx="39" cy="26" r="11"/>
    <circle cx="32" cy="38" r="11"/>
  </g>
</svg>
"""##
}
