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

// GOV.UK Frontend marks a radio that reveals a follow-up question with aria-expanded, which
// ARIA does not allow on a radio (axe flags it; alphagov/govuk-frontend#979). The follow-up
// comes right after its radio, so nothing is lost: drop the attribute each time it is set.
const dropRadioExpanded = () => {
  for (const radio of document.querySelectorAll('input[type="radio"][aria-expanded]')) {
    radio.removeAttribute('aria-expanded')
  }
}
dropRadioExpanded()
document.addEventListener('click', dropRadioExpanded)
window.addEventListener('pageshow', dropRadioExpanded)

// Native <details> menus do not close on Escape; let keyboard users close the
// person-name menu and return focus to its <summary>.
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return
  const menu = event.target instanceof Element && event.target.closest('details.sjs-user-menu[open]')
  if (!menu) return
  menu.open = false
  menu.querySelector('summary')?.focus()
})
