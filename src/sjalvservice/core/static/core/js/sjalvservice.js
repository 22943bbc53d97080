// Självservice front-end entry point. Load with:
//   <script type="module" src="{% static 'core/js/sjalvservice.js' %}"></script>
// at the end of <body>. No inline script is needed (CSP-friendly).
import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'

// GOV.UK Frontend 6 only initialises components when <body> has this class
// (its own page template sets it from an inline <script>). Module scripts run
// only in browsers that GOV.UK Frontend supports, so setting it here is the
// same check.
document.body.classList.add('govuk-frontend-supported')
initAll()

// Native <details> menus do not close on Escape; let keyboard users close the
// person-name menu and return focus to its <summary>.
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return
  const menu = event.target instanceof Element && event.target.closest('details.sjs-user-menu[open]')
  if (!menu) return
  menu.open = false
  menu.querySelector('summary')?.focus()
})
